import {
  createElement,
  forwardRef,
  useImperativeHandle,
  useLayoutEffect,
  useRef,
  type DetailedHTMLProps,
  type HTMLAttributes,
} from 'react';
import '../../components/index.js';
import type {
  ManagerLike,
  UploadProgressBar as BarElement,
  UploadProgressList as ListElement,
  UploadProgressModal as ModalElement,
  UploadProgressModalCloseDetail,
  UploadProgressModalCloseReason,
  UploadProgressStrings,
} from '../../components/index.js';

/** Props of {@link UploadProgressModal}. */
export interface UploadProgressModalProps extends Omit<HTMLAttributes<ModalElement>, 'onClose'> {
  /** A non-empty list opens the modal and follows those uploads; `null` or `[]` closes it. */
  uploadIds?: readonly string[] | null;
  /** The manager to read (default: the page's shared one, `getUploadProgressManager()`). */
  manager?: ManagerLike;
  /** Milliseconds from "all completed" to closing by itself; negative: never. @defaultValue `1500` */
  autoCloseDelay?: number;
  /** Texts, merged over the English defaults. */
  strings?: Partial<UploadProgressStrings>;
  /** Locale for numbers and bytes. @defaultValue the document's `lang` */
  locale?: string;
  /** Called whenever it closes: `'user'`, `'escape'` or `'auto'`. Not called on unmount. */
  onClose?: (reason: UploadProgressModalCloseReason) => void;
}

/**
 * `<upload-progress-modal>` as a React component, for React 18 and 19 alike: properties
 * are set on the element (not stringified into attributes) and `onClose` gets the reason.
 * A small hand-written wrapper (a ref and layout effects) rather than `@lit/react`, whose
 * required `@types/react` peer would land in every install of this package.
 *
 * @example
 * const [ids, setIds] = useState<string[] | null>(null);
 * <UploadProgressModal uploadIds={ids} onClose={() => setIds(null)} />
 */
export const UploadProgressModal = forwardRef<ModalElement, UploadProgressModalProps>(
  function UploadProgressModal(
    {uploadIds = null, manager, autoCloseDelay, strings, locale, onClose, ...rest},
    forwardedRef,
  ) {
    const ref = useRef<ModalElement>(null);
    useImperativeHandle(forwardedRef, () => ref.current!, []);
    const onCloseRef = useRef(onClose);
    useLayoutEffect(() => {
      onCloseRef.current = onClose;
    });
    useLayoutEffect(() => {
      const element = ref.current!;
      if (manager) element.manager = manager;
      if (autoCloseDelay !== undefined) element.autoCloseDelay = autoCloseDelay;
      element.strings = strings ?? {};
      element.locale = locale;
    }, [manager, autoCloseDelay, strings, locale]);
    // By value: setting the list (even an equal one) opens the modal again.
    const key = JSON.stringify(uploadIds);
    useLayoutEffect(() => {
      ref.current!.uploadIds = uploadIds ? [...uploadIds] : null;
    }, [key]);
    // A layout effect: removed before React takes the element out, whose own close (on
    // disconnect) is then not reported as the user's.
    useLayoutEffect(() => {
      const element = ref.current!;
      const listener = (event: CustomEvent<UploadProgressModalCloseDetail>) =>
        onCloseRef.current?.(event.detail.reason);
      element.addEventListener('close', listener);
      return () => element.removeEventListener('close', listener);
    }, []);
    return createElement('upload-progress-modal', {...rest, ref});
  },
);

type ElementProps<E, K extends keyof E> = DetailedHTMLProps<HTMLAttributes<E>, E> &
  Partial<Pick<E, K>>;

// JSX types for the elements themselves (React 19 sets their properties and listens to
// `onclose`, lowercase: `onClose` is React's own dialog event).
declare module 'react' {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- React's JSX typing is a namespace
  namespace JSX {
    interface IntrinsicElements {
      'upload-progress-modal': ElementProps<
        ModalElement,
        'uploadIds' | 'manager' | 'autoCloseDelay' | 'strings' | 'locale' | 'open'
      > & {
        'upload-ids'?: string;
        'auto-close-delay'?: number | string;
        onclose?: (event: CustomEvent<UploadProgressModalCloseDetail>) => void;
      };
      'upload-progress-list': ElementProps<
        ListElement,
        'uploadIds' | 'manager' | 'strings' | 'locale'
      > & {'upload-ids'?: string};
      'upload-progress-bar': ElementProps<
        BarElement,
        'value' | 'label' | 'valuetext' | 'indeterminate'
      >;
    }
  }
}

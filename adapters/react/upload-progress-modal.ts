import {
  createElement,
  forwardRef,
  useImperativeHandle,
  useRef,
  version,
  type DetailedHTMLProps,
  type HTMLAttributes,
} from 'react';
import '../../components/index.js';
import type {TrackedUpload} from '../../src/index.js';
import type {
  ManagerLike,
  UploadProgressBar as BarElement,
  UploadProgressList as ListElement,
  UploadProgressModal as ModalElement,
  UploadProgressModalCloseDetail,
  UploadProgressModalCloseReason,
  UploadProgressStrings,
} from '../../components/index.js';
import {useIsomorphicLayoutEffect} from './use-isomorphic-layout-effect.js';

/** Props of {@link UploadProgressModal}. */
export interface UploadProgressModalProps extends Omit<HTMLAttributes<ModalElement>, 'onClose'> {
  /**
   * A non-empty list opens the modal and follows those uploads; `null` or `[]` closes it.
   * What `manager.track()` takes: ids, or `{upload_id, filename, total_bytes}` so that rows
   * waiting for their first record show the file's name and size.
   */
  uploadIds?: readonly TrackedUpload[] | null;
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

/** React 18 passes `className` to a custom element as is (an attribute named "classname"). */
const legacyReact = Number.parseInt(version, 10) < 19;

const idOf = (upload: TrackedUpload) => (typeof upload === 'string' ? upload : upload.upload_id);

/**
 * `<upload-progress-modal>` as a React component, for React 18 and 19 alike: properties
 * are set on the element (React 18 would stringify them into attributes) and `onClose` gets
 * the reason. A small hand-written wrapper (a ref and layout effects) rather than
 * `@lit/react`, whose required `@types/react` peer would land in every install of this
 * package. On the server it renders the bare tag and warns nothing.
 *
 * @example
 * const [uploads, setUploads] = useState<TrackedUpload[] | null>(null);
 * <UploadProgressModal uploadIds={uploads} onClose={() => setUploads(null)} />
 */
export const UploadProgressModal = forwardRef<ModalElement, UploadProgressModalProps>(
  function UploadProgressModal(
    {uploadIds = null, manager, autoCloseDelay, strings, locale, onClose, ...rest},
    forwardedRef,
  ) {
    const ref = useRef<ModalElement>(null);
    useImperativeHandle(forwardedRef, () => ref.current!, []);
    const onCloseRef = useRef(onClose);
    useIsomorphicLayoutEffect(() => {
      onCloseRef.current = onClose;
    });
    useIsomorphicLayoutEffect(() => {
      const element = ref.current!;
      if (manager) element.manager = manager;
      if (autoCloseDelay !== undefined) element.autoCloseDelay = autoCloseDelay;
      element.strings = strings ?? {};
      element.locale = locale;
    }, [manager, autoCloseDelay, strings, locale]);
    // By value: setting the list (even an equal one) opens the modal again.
    const key = JSON.stringify(uploadIds);
    useIsomorphicLayoutEffect(() => {
      const element = ref.current!;
      // Names and sizes go to the manager first: the element then finds them tracked.
      if (uploadIds?.some((upload) => typeof upload !== 'string')) {
        element.manager.track(uploadIds);
      }
      element.uploadIds = uploadIds ? uploadIds.map(idOf) : null;
    }, [key]);
    // A layout effect: removed before React takes the element out, whose own close (on
    // disconnect) is then not reported as the user's.
    useIsomorphicLayoutEffect(() => {
      const element = ref.current!;
      const listener = (event: CustomEvent<UploadProgressModalCloseDetail>) =>
        onCloseRef.current?.(event.detail.reason);
      element.addEventListener('close', listener);
      return () => element.removeEventListener('close', listener);
    }, []);
    const {className, ...attributes} = rest;
    return createElement(
      'upload-progress-modal',
      legacyReact ? {...attributes, class: className, ref} : {...rest, ref},
    );
  },
);

/**
 * Whether the installed `@types/react` is React 19's (or later): React 19 sets a custom
 * element's properties and listens to its events; React 18 turns every prop into an
 * attribute string (`manager="[object Object]"`) and drops functions. `useActionState` is
 * new in React 19's types.
 */
type SetsElementProperties = 'useActionState' extends keyof typeof import('react') ? true : false;

/** React 18: attributes only, as strings; `class`, since React 18 passes `className` as is. */
type AttributeProps<E, A> = Omit<DetailedHTMLProps<HTMLAttributes<E>, E>, 'className'> & {
  class?: string;
} & A;

/** React 19: the element's properties too, and `on` + event name listeners. */
type PropertyProps<E, K extends keyof E, A> = DetailedHTMLProps<HTMLAttributes<E>, E> &
  Partial<Pick<E, K>> &
  A;

type ElementProps<E, K extends keyof E, A, Events = unknown> = SetsElementProperties extends true
  ? PropertyProps<E, K, A> & Events
  : AttributeProps<E, A>;

// JSX types for the elements themselves. React 19 sets their properties and listens to
// `onclose` (lowercase: `onClose` is React's own dialog event); with React 18's types only
// what React 18 passes through (attributes) is accepted: use <UploadProgressModal> there.
declare module 'react' {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- React's JSX typing is a namespace
  namespace JSX {
    interface IntrinsicElements {
      'upload-progress-modal': ElementProps<
        ModalElement,
        'uploadIds' | 'manager' | 'autoCloseDelay' | 'strings' | 'locale' | 'open',
        {'upload-ids'?: string; 'auto-close-delay'?: number | string; locale?: string},
        {onclose?: (event: CustomEvent<UploadProgressModalCloseDetail>) => void}
      >;
      'upload-progress-list': ElementProps<
        ListElement,
        'uploadIds' | 'manager' | 'strings' | 'locale',
        {'upload-ids'?: string; locale?: string}
      >;
      'upload-progress-bar': ElementProps<
        BarElement,
        'value' | 'label' | 'valuetext' | 'indeterminate',
        SetsElementProperties extends true
          ? unknown
          : {value?: number | string; label?: string; valuetext?: string; indeterminate?: true}
      >;
    }
  }
}

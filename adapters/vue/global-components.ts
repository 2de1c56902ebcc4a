// Template types for the elements (vue-tsc / Volar), after Vue's guide "Web Components":
// the element's own properties as props, its events as emits. Vue still has to be told
// they are custom elements: `compilerOptions.isCustomElement` (see docs/frameworks.md).
import type {EmitFn, HTMLAttributes, PublicProps} from 'vue';
import type {
  UploadProgressBar,
  UploadProgressList,
  UploadProgressModal,
  UploadProgressModalEventMap,
} from '../../components/index.js';

type DefineCustomElement<
  Element extends HTMLElement,
  Props extends keyof Element,
  Events extends Record<string, Event> = Record<never, Event>,
> = new () => Element & {
  /** For template type checking only. */
  $props: HTMLAttributes & Partial<Pick<Element, Props>> & PublicProps;
  /** For template type checking only. */
  $emit: EmitFn<{[K in keyof Events]: (event: Events[K]) => void}>;
};

declare module 'vue' {
  interface GlobalComponents {
    'upload-progress-modal': DefineCustomElement<
      UploadProgressModal,
      'uploadIds' | 'manager' | 'autoCloseDelay' | 'strings' | 'locale' | 'open',
      Pick<UploadProgressModalEventMap, 'close'>
    >;
    'upload-progress-list': DefineCustomElement<
      UploadProgressList,
      'uploadIds' | 'manager' | 'strings' | 'locale'
    >;
    'upload-progress-bar': DefineCustomElement<
      UploadProgressBar,
      'value' | 'label' | 'valuetext' | 'indeterminate'
    >;
  }
}

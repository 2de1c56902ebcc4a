// The one module a docs example imports that a page of this project does not install: the
// part of @vitejs/plugin-vue's options docs/frameworks.md uses.
declare module '@vitejs/plugin-vue' {
  export default function vue(options?: {
    template?: {compilerOptions?: {isCustomElement?: (tag: string) => boolean}};
  }): unknown;
}

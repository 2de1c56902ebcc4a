import {inject, PLATFORM_ID, type Injector} from '@angular/core';

/**
 * True when Angular renders on the server (`@angular/ssr`, prerendering), where nothing
 * may connect: the platform's id is `'server'` there (what `isPlatformServer` checks,
 * read here without `@angular/common`).
 */
export function onServer(injector: Injector | undefined): boolean {
  return (injector ? injector.get(PLATFORM_ID) : inject(PLATFORM_ID)) === 'server';
}

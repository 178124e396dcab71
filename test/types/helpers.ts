/** Type-level assertions, checked by `tsc` (`npm run typecheck`), never run. */
export type Equal<X, Y> = (<T>() => T extends X ? 1 : 2) extends (<T>() => T extends Y ? 1 : 2) ? true : false
export type Expect<T extends true> = T

// The package version, inlined by the esbuild bundle; "dev" when run from source (tests).
declare const DMAP_GUARD_VERSION: string | undefined;
export const VERSION = typeof DMAP_GUARD_VERSION === 'string' ? DMAP_GUARD_VERSION : 'dev';

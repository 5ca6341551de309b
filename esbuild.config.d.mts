// Types of what esbuild.config.mjs exports, for the cold-start bench that imports it.
import type { BuildOptions } from 'esbuild';

export declare const bundleOptions: BuildOptions & { metafile: true };

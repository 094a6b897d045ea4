import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { createLogger, type Logger, type Plugin } from 'vite';
import { defineConfig } from 'vitest/config';

// Warnings are errors: a CSS syntax warning once hid an unclosed rule that left every sourcing form
// unstyled while the build stayed green. Every warning the build logs (esbuild/Lightning CSS minify,
// Rollup, Vite itself) and every Svelte compiler warning is counted, printed as usual, and the
// build fails at its end, so all of them are seen at once.
const warnings: string[] = [];

function countingLogger(): Logger {
  const logger = createLogger();
  const { warn, warnOnce } = logger;
  logger.warn = (msg, options) => {
    warnings.push(msg);
    warn(msg, options);
  };
  logger.warnOnce = (msg, options) => {
    warnings.push(msg);
    warnOnce(msg, options);
  };
  return logger;
}

function warningsAreErrors(): Plugin {
  return {
    name: 'factdesk:warnings-are-errors',
    apply: 'build',
    closeBundle() {
      if (warnings.length > 0) {
        throw new Error(`${warnings.length} warning(s) during the build (printed above); warnings are errors.`);
      }
    },
  };
}

// The Tauri shell loads dist/ from its own origin, so every asset URL must be relative,
// and the dev server must sit on the port tauri.conf.json points at.
export default defineConfig({
  base: './',
  customLogger: countingLogger(),
  plugins: [
    svelte({
      onwarn(warning, defaultHandler) {
        warnings.push(warning.message);
        defaultHandler?.(warning);
      },
    }),
    warningsAreErrors(),
  ],
  resolve: {
    // Component tests mount into jsdom and need Svelte's client runtime, not its server one.
    conditions: process.env.VITEST ? ["browser"] : undefined,
    alias: {
      $lib: fileURLToPath(new URL('./src/lib', import.meta.url)),
    },
  },
  clearScreen: false,
  server: {
    port: 1420,
    strictPort: true,
    host: '127.0.0.1',
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // WebKitGTK on Debian 12 and current WebView2 both handle ES2022.
    target: 'es2022',
    // Inlined assets would be data: URLs the CSP refuses for scripts and fonts.
    assetsInlineLimit: 0,
    sourcemap: false,
  },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
});

import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';

// The Tauri shell loads dist/ from its own origin, so every asset URL must be relative,
// and the dev server must sit on the port tauri.conf.json points at.
export default defineConfig({
  base: './',
  plugins: [svelte()],
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

import { defineConfig } from 'vite';

// The embed loader: one small classic script (window.Payee), built apart from the widget
// into dist-embed/v1.js (apart from dist/, which the widget build empties). The server
// gives it a versioned and a content-hashed URL.
export default defineConfig({
  publicDir: false,
  build: {
    outDir: 'dist-embed',
    emptyOutDir: true,
    target: 'es2020',
    minify: true,
    lib: { entry: 'src/embed/loader.ts', formats: ['iife'], name: 'Payee', fileName: () => 'v1.js' },
  },
});

import { defineConfig } from 'vite';

// The widget is built into dist/ with hashed names and a manifest the server reads (the
// scripts, the CSS to inline). Two entries: the page's script, and its enhancements, which
// the page imports by the URL the server gives it after its first render (so no preload
// helper is bundled); what both use goes into one shared chunk.
export default defineConfig({
  publicDir: 'public',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    manifest: true,
    target: 'es2020',
    modulePreload: false,
    rollupOptions: {
      input: { widget: 'src/widget/main.tsx', enhance: 'src/widget/enhance-entry.ts' },
      preserveEntrySignatures: 'allow-extension',
    },
  },
});

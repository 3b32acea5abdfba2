import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The renderer alone, for browser mode (`sitrep serve`) and the end-to-end tests; electron-vite
// builds the same renderer for the desktop app. Relative base so file:// loading works in Electron.
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: { outDir: '../out/renderer', emptyOutDir: true, sourcemap: true },
});

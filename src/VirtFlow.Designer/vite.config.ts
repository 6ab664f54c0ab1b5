import { defineConfig } from "vitest/config";
import react from "@vitejs/plugin-react";
import { fileURLToPath } from "node:url";

const monacoEsm = fileURLToPath(new URL("./node_modules/monaco-editor/esm/vs/", import.meta.url));

// Builds into dist/ with relative asset paths, so `virtflow server` can serve it at / (or under any prefix).
// `npm run dev` proxies /api to a local server (VIRTFLOW_SERVER, default http://127.0.0.1:8080).
export default defineConfig({
  base: "./",
  plugins: [react()],
  resolve: {
    // monaco-yaml's worker manager imports monaco by its file path, which monaco-editor 0.57's exports map does not list.
    alias: [
      { find: /^monaco-editor\/esm\/vs\/(.*)$/, replacement: `${monacoEsm}$1` },
    ],
  },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 8000,
  },
  worker: { format: "es" },
  server: {
    proxy: { "/api": process.env.VIRTFLOW_SERVER ?? "http://127.0.0.1:8080" },
  },
  test: {
    include: ["test/**/*.test.ts", "test/**/*.test.tsx"],
    environment: "node",
  },
});

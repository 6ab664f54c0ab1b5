import type { ElkNode } from "elkjs/lib/elk-api";

type Elk = { layout(graph: ElkNode): Promise<ElkNode> };
let instance: Promise<Elk> | null = null;

/**
 * ELK, loaded when first needed: in a browser it runs in a Web Worker (the page never blocks on a layout), in Node
 * (vitest) the bundled build runs in-process.
 */
export function elk(): Promise<Elk> {
  if (!instance) {
    instance = (async () => {
      if (typeof window !== "undefined" && typeof Worker !== "undefined") {
        const [{ default: ElkApi }, { default: workerUrl }] = await Promise.all([import("elkjs/lib/elk-api.js"), import("elkjs/lib/elk-worker.min.js?url")]);
        return new ElkApi({ workerFactory: () => new Worker(workerUrl) }) as unknown as Elk;
      }
      const { default: Bundled } = await import("elkjs/lib/elk.bundled.js");
      return new Bundled() as unknown as Elk;
    })();
  }
  return instance;
}

export async function elkLayout(graph: ElkNode): Promise<ElkNode> {
  return (await elk()).layout(graph);
}

/** Starts ELK's worker ahead of the first layout (its script takes seconds to load on a busy machine). */
export function prewarmElk(): void {
  if (typeof window !== "undefined") void elk().then(e => e.layout({ id: "warm", children: [{ id: "a", width: 1, height: 1 }] })).catch(() => undefined);
}

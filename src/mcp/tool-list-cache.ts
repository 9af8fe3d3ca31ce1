import type { ToolView } from './catalog.js';
import type { Invocation } from './tool-context.js';

/**
 * tools/list is the one large answer every client asks for on every connection (about 100 KB), and the
 * SDK serializes it anew each time: that was most of a warm tools/list. So the tools array of each
 * answer the SDK gave is kept as JSON text per tool selection and protocol version; later requests go
 * through the SDK as usual (every check, every stamp of their era) with an empty list, and the kept text
 * takes its place in the answer. An answer that is not the expected success passes through untouched.
 */
export class ToolListCache {
  /** Per view (a static selection of the catalog), per protocol version served: the tools array as JSON text. */
  private readonly lists = new WeakMap<ToolView, Map<string, string>>();

  /** The view to serve one tools/list with, and how to complete the SDK's answer to it. */
  listing(view: ToolView, invocation: Invocation): { view: ToolView; complete(status: number, text: string): string } {
    let byVersion = this.lists.get(view);
    if (!byVersion) this.lists.set(view, (byVersion = new Map()));
    let kept: string | undefined;
    let filling: string | undefined;
    return {
      view: {
        size: view.size,
        find: (name) => view.find(name),
        list(shape) {
          // The era, and so the version, is decided before the SDK asks for the list.
          const version = invocation.trace.protocolVersion ?? '';
          kept = byVersion.get(version);
          if (kept !== undefined) return EMPTY_LIST;
          filling = version;
          return view.list(shape);
        },
      },
      complete(status, text) {
        if (status !== 200) return text;
        if (kept !== undefined) {
          return text.startsWith(EMPTY_LIST_ANSWER)
            ? `${LIST_ANSWER_START}${kept}${text.slice(EMPTY_LIST_ANSWER.length)}`
            : text;
        }
        if (filling !== undefined && text.startsWith(LIST_ANSWER_START)) {
          const tools = (JSON.parse(text) as { result?: { tools?: unknown } }).result?.tools;
          if (Array.isArray(tools)) byVersion.set(filling, JSON.stringify(tools));
        }
        return text;
      },
    };
  }
}

const LIST_ANSWER_START = '{"result":{"tools":';
const EMPTY_LIST_ANSWER = `${LIST_ANSWER_START}[]`;
const EMPTY_LIST = { tools: [] };

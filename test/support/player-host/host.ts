// A test host page for the MCP Apps player, on the ext-apps SDK's AppBridge: it renders the view in a
// sandboxed iframe from another origin, hands it a tool result, proxies its tools/call to the test (which
// calls the real server), and records what the view asked of it. Bundled for the browser by
// test/support/player-host.ts.
import type { CallToolRequest, CallToolResult } from '@modelcontextprotocol/client';
import {
  AppBridge,
  PostMessageTransport,
  type McpUiHostContext,
  type McpUiStyles,
} from '@modelcontextprotocol/ext-apps/app-bridge';

export interface HostOptions {
  readonly viewUrl: string;
  readonly toolInput: Record<string, unknown>;
  readonly toolResult: CallToolResult;
  readonly tool: { name: string; title?: string; inputSchema: { type: 'object' } };
  readonly theme: 'light' | 'dark';
  readonly variables?: Record<string, string>;
  readonly width?: number;
}

declare global {
  interface Window {
    /** Exposed by the test: answers the view's tools/call through the real server. */
    hostCallTool(params: CallToolRequest['params']): Promise<CallToolResult>;
    startHost(options: HostOptions): Promise<void>;
    hostLog: { toolCalls: Array<CallToolRequest['params']>; downloads: unknown[]; initialized: boolean };
  }
}

window.hostLog = { toolCalls: [], downloads: [], initialized: false };

window.startHost = async (options) => {
  document.documentElement.dataset.theme = options.theme;
  const iframe = document.createElement('iframe');
  iframe.title = 'Audio player';
  // The permissions MCP Apps asks of a view's sandbox; the view's own origin differs from the host's.
  iframe.setAttribute('sandbox', 'allow-scripts allow-same-origin');
  iframe.style.width = `${options.width ?? 560}px`;
  document.body.append(iframe);

  const hostContext: McpUiHostContext = {
    theme: options.theme,
    displayMode: 'inline',
    platform: 'web',
    toolInfo: { tool: options.tool },
    containerDimensions: { width: options.width ?? 560, maxHeight: 800 },
    // A host sends any subset of the standard variables.
    ...(options.variables ? { styles: { variables: options.variables as McpUiStyles } } : {}),
  };
  const bridge = new AppBridge(
    null,
    { name: 'player-test-host', version: '1.0.0' },
    { serverTools: {}, downloadFile: {}, logging: {} },
    { hostContext },
  );
  bridge.oncalltool = async (params) => {
    window.hostLog.toolCalls.push(params);
    return window.hostCallTool(params);
  };
  bridge.ondownloadfile = async (params) => {
    window.hostLog.downloads.push(params);
    return {};
  };
  bridge.onsizechange = ({ height }) => {
    if (height !== undefined) iframe.style.height = `${height}px`;
  };
  bridge.oninitialized = () => {
    window.hostLog.initialized = true;
    void bridge.sendToolInput({ arguments: options.toolInput }).then(() => bridge.sendToolResult(options.toolResult));
  };
  // The window proxy stays the same across the iframe's navigation: listening before it loads means
  // the view's ui/initialize is not missed.
  await bridge.connect(new PostMessageTransport(iframe.contentWindow!, iframe.contentWindow!));
  iframe.src = options.viewUrl;
};

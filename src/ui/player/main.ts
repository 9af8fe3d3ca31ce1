// The MCP Apps view that plays a tool's stored audio: it streams the presigned S3 URL of the result's
// structuredContent, and asks the server (through the host) for a fresh one when that link has expired.
// This module wires the page to its host; track.ts plays, views.ts renders, host.ts holds the App.
import {
  applyDocumentTheme,
  applyHostFonts,
  applyHostStyleVariables,
  type McpUiHostContext,
} from '@modelcontextprotocol/ext-apps';
import { app, textOf } from './host.js';
import { viewOf } from './result.js';
import { activeTrack, pauseAll } from './track.js';
import { message, render } from './views.js';

function applyContext(context: McpUiHostContext | undefined): void {
  if (!context) return;
  if (context.theme) applyDocumentTheme(context.theme);
  if (context.styles?.variables) applyHostStyleVariables(context.styles.variables);
  if (context.styles?.css?.fonts) applyHostFonts(context.styles.css.fonts);
}

document.addEventListener('keydown', (event) => {
  const target = event.target as HTMLElement;
  const active = activeTrack();
  if (!active || event.altKey || event.ctrlKey || event.metaKey || target.closest('button, input, select, a, textarea'))
    return;
  if (event.key === ' ' || event.key === 'k') active.toggle();
  else if (event.key === 'ArrowLeft' || event.key === 'j') active.skip(-5);
  else if (event.key === 'ArrowRight' || event.key === 'l') active.skip(5);
  else return;
  event.preventDefault();
});

app.ontoolinput = () => message('Generating audio…', 'waiting');
app.ontoolresult = (result) => {
  // get_audio_url's title says what it did, not what the audio is: the audio id's kind says that.
  const tool = app.getHostContext()?.toolInfo?.tool;
  const title = tool?.name === 'get_audio_url' ? undefined : tool?.title;
  const view = result.isError ? undefined : viewOf(result.structuredContent, title);
  if (view) render(view);
  else message(textOf(result.content) || 'This result has no audio to play.', 'error');
};
app.ontoolcancelled = () => message('The tool call was cancelled.', 'error');
app.onhostcontextchanged = (context) => applyContext(context);
app.onteardown = async () => {
  pauseAll();
  return {};
};

message('Waiting for the audio…', 'waiting');
try {
  await app.connect();
  applyContext(app.getHostContext());
} catch {
  message('This player runs inside an MCP Apps host, which hands it a tool result.', 'error');
}

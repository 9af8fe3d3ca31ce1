// The MCP Apps view that plays a tool's stored audio: it streams the presigned S3 URL of the result's
// structuredContent, and asks the server (through the host) for a fresh one when that link has expired.
import { App, applyDocumentTheme, applyHostFonts, applyHostStyleVariables, type McpUiHostContext } from '@modelcontextprotocol/ext-apps';
import { type Alignment, type Clip, clipOf, clock, duration, type Fact, size, spokenIndex, type StoredItem, TITLES, type View, viewOf } from './result.js';

const app = new App({ name: 'ElevenLabs audio player', version: '1.0.0' }, {}, { autoResize: true });
const root = document.getElementById('app')!;
const SPEEDS = [0.5, 0.75, 1, 1.25, 1.5, 2];
/** Browsers play these; raw PCM and telephony codecs they cannot. */
const PLAYABLE = /^audio\/(mpeg|mp3|wav|wave|x-wav|ogg|opus|webm|aac|mp4|flac)$/i;

const tracks: Track[] = [];
let active: Track | undefined;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: Array<Node | string>): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (name === 'class') node.className = value;
    else node.setAttribute(name, value);
  }
  node.append(...children);
  return node;
}

const ICON_PLAY = '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M8 5.5v13l10.5-6.5z"/></svg>';
const ICON_PAUSE = '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M7 5h3.5v14H7zm6.5 0H17v14h-3.5z"/></svg>';
const ICON_DOWNLOAD =
  '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M12 3v11m0 0-4.5-4.5M12 14l4.5-4.5M4.5 16.5v3h15v-3" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"/></svg>';

/** One clip: its audio element and controls. Previews get one each, in compact rows. */
class Track {
  readonly audio = new Audio();
  readonly element: HTMLElement;
  readonly durationText = el('span', { class: 'duration' }, '…');
  private readonly play = el('button', { type: 'button', class: 'play', 'aria-label': 'Play' });
  private readonly seek = el('input', { type: 'range', class: 'seek', min: '0', max: '0', step: 'any', value: '0', disabled: '' });
  private readonly time = el('span', { class: 'time', 'aria-hidden': 'true' }, '0:00 / 0:00');
  private readonly download = el('a', { class: 'download' });
  private readonly status = el('p', { class: 'status', role: 'status' });
  private refreshed = false;
  private refreshing: Promise<void> | undefined;
  private highlight: Highlighter | undefined;
  private frame = 0;

  constructor(
    private clip: Clip,
    readonly label: string,
    options: { compact: boolean; speed: boolean },
  ) {
    this.play.innerHTML = ICON_PLAY;
    this.seek.setAttribute('aria-label', `Seek in ${label}`);
    this.play.setAttribute('aria-label', `Play ${label}`);
    this.download.innerHTML = ICON_DOWNLOAD;
    this.download.append(el('span', { class: options.compact ? 'visually-hidden' : '' }, 'Download'));
    this.download.setAttribute('aria-label', `Download ${label} (${clip.filename}, ${size(clip.bytes)})`);
    this.download.title = `${clip.filename} · ${size(clip.bytes)}`;
    this.setLinks();
    const controls = el('div', { class: 'controls' }, this.play, this.seek, this.time);
    if (options.speed) controls.append(this.speedControl());
    controls.append(this.download);
    this.element = el('div', { class: options.compact ? 'track compact' : 'track' }, controls, this.status, this.audio);

    this.audio.preload = 'metadata';
    this.wire();
    if (!PLAYABLE.test(clip.mimeType) && this.audio.canPlayType(clip.mimeType) === '') {
      this.say(`${clip.mimeType} cannot be played in a browser; download it instead.`);
      this.play.disabled = true;
      this.durationText.textContent = '—';
      return;
    }
    // A link known to be expired is renewed before the first load rather than after a failed one.
    if (clip.expiresAt && Date.parse(clip.expiresAt) <= Date.now()) void this.renew();
    else this.audio.src = clip.url;
  }

  get audioId(): string {
    return this.clip.audioId;
  }

  attachHighlighter(highlighter: Highlighter): void {
    this.highlight = highlighter;
    highlighter.onseek = (time) => {
      this.audio.currentTime = time;
      this.sync();
    };
  }

  toggle(): void {
    if (this.audio.paused) void this.start();
    else this.audio.pause();
  }

  skip(seconds: number): void {
    if (!Number.isFinite(this.audio.duration)) return;
    this.audio.currentTime = Math.min(this.audio.duration, Math.max(0, this.audio.currentTime + seconds));
    this.sync();
  }

  private async start(): Promise<void> {
    if (this.refreshing) await this.refreshing;
    for (const other of tracks) if (other !== this) other.audio.pause();
    active = this;
    try {
      await this.audio.play();
    } catch (error) {
      // A failed load reports through the element's error event; a refused autoplay needs no message.
      if ((error as Error).name === 'NotSupportedError') return;
    }
  }

  private wire(): void {
    const audio = this.audio;
    this.play.addEventListener('click', () => this.toggle());
    audio.addEventListener('loadedmetadata', () => {
      this.seek.max = String(audio.duration);
      this.seek.disabled = false;
      this.durationText.textContent = duration(audio.duration);
      this.durationText.dataset.seconds = String(audio.duration);
      this.sync();
    });
    audio.addEventListener('play', () => {
      this.play.innerHTML = ICON_PAUSE;
      this.play.setAttribute('aria-label', `Pause ${this.label}`);
      this.element.classList.add('playing');
      const tick = (): void => {
        this.sync();
        this.frame = requestAnimationFrame(tick);
      };
      this.frame = requestAnimationFrame(tick);
    });
    const stopped = (): void => {
      this.play.innerHTML = ICON_PLAY;
      this.play.setAttribute('aria-label', `Play ${this.label}`);
      this.element.classList.remove('playing');
      cancelAnimationFrame(this.frame);
      this.sync();
    };
    audio.addEventListener('pause', stopped);
    audio.addEventListener('ended', stopped);
    audio.addEventListener('seeked', () => this.sync());
    audio.addEventListener('error', () => void this.failed());
    this.seek.addEventListener('input', () => {
      audio.currentTime = Number(this.seek.value);
      this.sync();
    });
    this.seek.addEventListener('keydown', (event) => {
      const step = audio.duration < 30 ? 1 : 5;
      if (event.key === 'ArrowLeft' || event.key === 'ArrowDown') this.skip(-step);
      else if (event.key === 'ArrowRight' || event.key === 'ArrowUp') this.skip(step);
      else return;
      event.preventDefault();
    });
    this.download.addEventListener('click', (event) => void this.save(event));
  }

  private speedControl(): HTMLElement {
    const select = el('select', { class: 'speed', 'aria-label': 'Playback speed' });
    for (const speed of SPEEDS) {
      const option = el('option', { value: String(speed) }, `${speed}×`);
      if (speed === 1) option.selected = true;
      select.append(option);
    }
    select.addEventListener('change', () => {
      this.audio.playbackRate = Number(select.value);
    });
    return select;
  }

  /** Moves the seek bar, the clock and the highlighted text to the playback position. */
  private sync(): void {
    const { currentTime, duration: total } = this.audio;
    const known = Number.isFinite(total) ? total : 0;
    this.seek.value = String(currentTime);
    this.seek.style.setProperty('--progress', known ? `${(currentTime / known) * 100}%` : '0%');
    this.seek.setAttribute('aria-valuetext', `${clock(currentTime)} of ${clock(known)}`);
    this.time.textContent = `${clock(currentTime)} / ${clock(known)}`;
    this.highlight?.show(currentTime);
  }

  /**
   * The audio element gives no status code; a link that worked once fails when it expired (S3 answers
   * 403), so the first failure asks the server for a fresh link through the host, and plays on from
   * where it was. A second failure is reported.
   */
  private async failed(): Promise<void> {
    if (this.refreshing) return;
    if (!app.getHostCapabilities()?.serverTools) {
      this.say('The audio could not be loaded; its link may have expired, and this host cannot fetch a fresh one: ask for one with get_audio_url.');
      return;
    }
    if (this.refreshed) {
      this.say('The audio could not be loaded, even from a fresh link. Use the download link, or ask for a new one with get_audio_url.');
      return;
    }
    await this.renew();
  }

  private renew(): Promise<void> {
    this.refreshed = true;
    const position = this.audio.currentTime;
    const resume = !this.audio.paused;
    this.say('The link has expired; asking for a fresh one…');
    this.refreshing = (async () => {
      if (!app.getHostCapabilities()?.serverTools) {
        // Worth a try: the link may outlive its stated expiry by a clock's skew.
        if (!this.audio.src) this.audio.src = this.clip.url;
        return;
      }
      try {
        const fresh = await freshClip(this.clip.audioId);
        this.clip = { ...this.clip, url: fresh.url, expiresAt: fresh.expiresAt };
        this.setLinks();
        this.audio.src = fresh.url;
        this.audio.load();
        if (position > 0) this.audio.addEventListener('loadedmetadata', () => (this.audio.currentTime = position), { once: true });
        this.say('');
        if (resume) void this.start();
      } catch (error) {
        this.say(`The link has expired and no fresh one could be had: ${(error as Error).message}`);
      }
    })().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  private setLinks(): void {
    this.download.href = this.clip.url;
    this.download.download = this.clip.filename;
    this.download.target = '_blank';
    this.download.rel = 'noopener';
    this.download.dataset.expiresAt = this.clip.expiresAt;
  }

  /** Inside a sandboxed frame a plain link may not download: the host does it when it can. */
  private async save(event: MouseEvent): Promise<void> {
    const capabilities = app.getHostCapabilities();
    if (!capabilities?.downloadFile && !capabilities?.openLinks) return;
    event.preventDefault();
    if (this.clip.expiresAt && Date.parse(this.clip.expiresAt) <= Date.now()) await this.renew();
    const { url, filename, mimeType, bytes } = this.clip;
    const answer = capabilities.downloadFile
      ? await app.downloadFile({ contents: [{ type: 'resource_link', uri: url, name: filename, mimeType, ...(bytes ? { size: bytes } : {}) }] })
      : await app.openLink({ url });
    if (answer.isError) this.say('The host did not download the file.');
  }

  private say(message: string): void {
    this.status.textContent = message;
    this.status.hidden = message === '';
  }
}

/**
 * The spoken text, each character a span: those already spoken are marked, and the word being spoken
 * stands out (a lone highlighted character flickers too fast to follow).
 */
class Highlighter {
  readonly element: HTMLElement;
  onseek: ((time: number) => void) | undefined;
  private readonly spans: HTMLSpanElement[];
  /** For each character, the [first, last] characters of its word (a space belongs to the word before it). */
  private readonly words: Array<readonly [number, number]>;
  private shown = -1;
  private word: readonly [number, number] | undefined;

  constructor(private readonly alignment: Alignment) {
    const text = alignment.characters.join('');
    const visible = el('p', { class: 'transcript-text', 'aria-hidden': 'true' });
    this.spans = alignment.characters.map((character, index) => {
      const span = el('span', {}, character);
      span.dataset.index = String(index);
      return span;
    });
    this.words = wordsOf(alignment.characters);
    visible.append(...this.spans);
    visible.addEventListener('click', (event) => {
      const index = Number((event.target as HTMLElement).dataset.index);
      if (Number.isInteger(index)) this.onseek?.(alignment.starts[index]!);
    });
    this.element = el('section', { class: 'transcript', 'aria-label': 'Transcript' }, el('p', { class: 'visually-hidden' }, text), visible);
  }

  show(time: number): void {
    const index = spokenIndex(this.alignment, time);
    if (index === this.shown) return;
    const [from, to] = index > this.shown ? [this.shown + 1, index] : [index + 1, this.shown];
    for (let i = Math.max(0, from); i <= to && i < this.spans.length; i++) this.spans[i]!.classList.toggle('spoken', i <= index);
    const word = index >= 0 ? this.words[index] : undefined;
    if (word !== this.word) {
      this.mark(this.word, false);
      this.mark(word, true);
      this.word = word;
    }
    this.shown = index;
    this.element.dataset.spoken = String(index + 1);
  }

  private mark(word: readonly [number, number] | undefined, on: boolean): void {
    if (!word) return;
    for (let i = word[0]; i <= word[1]; i++) if (!/\s/.test(this.alignment.characters[i]!)) this.spans[i]!.classList.toggle('current', on);
  }
}

function wordsOf(characters: readonly string[]): Array<readonly [number, number]> {
  const words: Array<readonly [number, number]> = new Array(characters.length);
  let start = 0;
  for (let i = 0; i <= characters.length; i++) {
    const ends = i === characters.length || (/\s/.test(characters[i]!) && (i + 1 === characters.length || !/\s/.test(characters[i + 1]!)));
    if (!ends) continue;
    const word = [start, Math.min(i, characters.length - 1)] as const;
    for (let j = start; j <= word[1]; j++) words[j] = word;
    start = i + 1;
  }
  return words;
}

function textOf(content: ReadonlyArray<{ type: string; text?: string }> | undefined): string {
  return (content ?? [])
    .filter((block) => block.type === 'text')
    .map((block) => block.text ?? '')
    .join('\n');
}

function factList(facts: Fact[], extra: HTMLElement[] = []): HTMLElement {
  const list = el('dl', { class: 'facts' });
  for (const fact of facts) list.append(el('div', {}, el('dt', {}, fact.label), el('dd', {}, fact.value)));
  list.append(...extra);
  return list;
}

/** A fresh link for a stored file, from the server through the host. */
async function freshClip(audioId: string): Promise<Clip> {
  if (!app.getHostCapabilities()?.serverTools) throw new Error('this host cannot ask the server for a link');
  const result = await app.callServerTool({ name: 'get_audio_url', arguments: { audio_id: audioId } });
  const clip = result.isError ? undefined : clipOf(result.structuredContent);
  if (!clip) throw new Error(textOf(result.content) || 'get_audio_url returned no link');
  return clip;
}

/** list_audio's files: each audio file gets a player on demand, once get_audio_url has signed its link. */
function renderLibrary(view: Extract<View, { kind: 'library' }>): HTMLElement {
  const card = el('article', { class: 'card', 'aria-label': view.title }, el('h1', {}, view.title));
  const shown = view.total !== undefined && view.total > view.items.length ? `${view.items.length} of ${view.total}, newest first` : 'Newest first';
  card.append(el('p', { class: 'hint' }, view.items.length ? shown : 'No files are stored for this API key.'));
  const list = el('ol', { class: 'previews library', 'aria-label': 'Stored files' });
  for (const item of view.items) list.append(libraryRow(item));
  if (view.items.length) card.append(list);
  if (view.more) card.append(el('p', { class: 'hint' }, 'More files: ask for the next page of list_audio.'));
  return card;
}

function libraryRow(item: StoredItem): HTMLElement {
  const label = `${TITLES[item.kind] ?? item.kind}, ${formatWhen(item.lastModified)}`;
  const meta = [item.mimeType, size(item.bytes)].filter(Boolean).join(' · ');
  const about = el('div', { class: 'about' }, el('h2', {}, label, el('span', { class: 'meta' }, meta)), el('code', { class: 'voice-id' }, item.audioId));
  const status = el('p', { class: 'status', role: 'status' });
  const row = el('li', { class: 'preview item' }, about, status);
  if (!item.mimeType.startsWith('audio/')) return row;
  const open = el('button', { type: 'button', class: 'play', 'aria-label': `Play ${label}` });
  open.innerHTML = ICON_PLAY;
  open.addEventListener('click', async () => {
    open.disabled = true;
    status.textContent = 'Getting a link…';
    try {
      const track = new Track(await freshClip(item.audioId), label, { compact: true, speed: false });
      tracks.push(track);
      status.textContent = '';
      open.remove();
      row.append(track.element);
      track.toggle();
    } catch (error) {
      open.disabled = false;
      status.textContent = `No link could be had: ${(error as Error).message}`;
    }
  });
  row.prepend(open);
  return row;
}

function formatWhen(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString('en', { dateStyle: 'medium', timeStyle: 'short' });
}

function render(view: View): void {
  for (const track of tracks) track.audio.pause();
  tracks.length = 0;
  if (view.kind === 'library') {
    active = undefined;
    root.replaceChildren(renderLibrary(view));
    return;
  }
  if (view.kind === 'single') {
    const track = new Track(view.clip, view.title, { compact: false, speed: true });
    tracks.push(track);
    active = track;
    const durationFact = el('div', { class: 'fact-duration' }, el('dt', {}, 'Duration'), el('dd', {}, track.durationText));
    const card = el('article', { class: 'card', 'aria-label': `${view.title} player` }, el('h1', {}, view.title), factList(view.facts, [durationFact]), track.element);
    if (view.alignment) {
      const highlighter = new Highlighter(view.alignment);
      track.attachHighlighter(highlighter);
      card.append(highlighter.element);
    }
    root.replaceChildren(card);
    return;
  }
  const list = el('ol', { class: 'previews', 'aria-label': 'Previews' });
  view.previews.forEach((preview, index) => {
    const label = `Preview ${index + 1}`;
    const track = new Track(preview.clip, label, { compact: true, speed: false });
    tracks.push(track);
    const details = [preview.durationSecs !== undefined ? duration(preview.durationSecs) : undefined, preview.language].filter(Boolean).join(' · ');
    const id = el('code', { class: 'voice-id', title: 'generated_voice_id, for create_voice_from_preview' }, preview.generatedVoiceId);
    const heading = el('div', { class: 'preview-head' }, el('h2', {}, label), el('span', { class: 'meta' }, details), id);
    list.append(el('li', { class: 'preview' }, heading, track.element));
  });
  active = tracks[0];
  const card = el('article', { class: 'card', 'aria-label': `${view.title} player` }, el('h1', {}, view.title), factList(view.facts), list);
  if (view.text) card.append(el('blockquote', { class: 'said' }, el('span', { class: 'visually-hidden' }, 'They say: '), view.text));
  card.append(el('p', { class: 'hint' }, 'Keep the voice you like with create_voice_from_preview and its generated_voice_id.'));
  root.replaceChildren(card);
}

function message(text: string, kind: 'waiting' | 'error'): void {
  root.replaceChildren(el('article', { class: `card ${kind}`, role: kind === 'error' ? 'alert' : 'status' }, el('p', {}, text)));
}

function applyContext(context: McpUiHostContext | undefined): void {
  if (!context) return;
  if (context.theme) applyDocumentTheme(context.theme);
  if (context.styles?.variables) applyHostStyleVariables(context.styles.variables);
  if (context.styles?.css?.fonts) applyHostFonts(context.styles.css.fonts);
}

document.addEventListener('keydown', (event) => {
  const target = event.target as HTMLElement;
  if (!active || event.altKey || event.ctrlKey || event.metaKey || target.closest('button, input, select, a, textarea')) return;
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
  for (const track of tracks) track.audio.pause();
  return {};
};

message('Waiting for the audio…', 'waiting');
try {
  await app.connect();
  applyContext(app.getHostContext());
} catch {
  message('This player runs inside an MCP Apps host, which hands it a tool result.', 'error');
}

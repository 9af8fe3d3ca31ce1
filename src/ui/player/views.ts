// What the player shows for each kind of result: one clip, voice previews, list_audio's library, or a
// message in their place.
import { el, ICON_PLAY } from './dom.js';
import { freshClip } from './host.js';
import { Highlighter } from './highlighter.js';
import { duration, type Fact, size, type StoredItem, TITLES, type View } from './result.js';
import { pauseAll, setActiveTrack, Track, tracks } from './track.js';

const root = document.getElementById('app')!;

function factList(facts: Fact[], extra: HTMLElement[] = []): HTMLElement {
  const list = el('dl', { class: 'facts' });
  for (const fact of facts) list.append(el('div', {}, el('dt', {}, fact.label), el('dd', {}, fact.value)));
  list.append(...extra);
  return list;
}

/** list_audio's files: each audio file gets a player on demand, once get_audio_url has signed its link. */
function renderLibrary(view: Extract<View, { kind: 'library' }>): HTMLElement {
  const card = el('article', { class: 'card', 'aria-label': view.title }, el('h1', {}, view.title));
  const shown =
    view.total !== undefined && view.total > view.items.length
      ? `${view.items.length} of ${view.total}, newest first`
      : 'Newest first';
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
  const heading = el('h2', {}, label, el('span', { class: 'meta' }, meta));
  const about = el('div', { class: 'about' }, heading, el('code', { class: 'voice-id' }, item.audioId));
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

/** Replaces what the page shows with `view`, its tracks with the view's. */
export function render(view: View): void {
  pauseAll();
  tracks.length = 0;
  if (view.kind === 'library') {
    setActiveTrack(undefined);
    root.replaceChildren(renderLibrary(view));
    return;
  }
  if (view.kind === 'single') {
    const track = new Track(view.clip, view.title, { compact: false, speed: true });
    tracks.push(track);
    setActiveTrack(track);
    const durationFact = el(
      'div',
      { class: 'fact-duration' },
      el('dt', {}, 'Duration'),
      el('dd', {}, track.durationText),
    );
    const facts = factList(view.facts, [durationFact]);
    const card = el(
      'article',
      { class: 'card', 'aria-label': `${view.title} player` },
      el('h1', {}, view.title),
      facts,
      track.element,
    );
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
    const length = preview.durationSecs !== undefined ? duration(preview.durationSecs) : undefined;
    const details = [length, preview.language].filter(Boolean).join(' · ');
    const id = el(
      'code',
      { class: 'voice-id', title: 'generated_voice_id, for create_voice_from_preview' },
      preview.generatedVoiceId,
    );
    const heading = el(
      'div',
      { class: 'preview-head' },
      el('h2', {}, label),
      el('span', { class: 'meta' }, details),
      id,
    );
    list.append(el('li', { class: 'preview' }, heading, track.element));
  });
  setActiveTrack(tracks[0]);
  const card = el(
    'article',
    { class: 'card', 'aria-label': `${view.title} player` },
    el('h1', {}, view.title),
    factList(view.facts),
    list,
  );
  if (view.text)
    card.append(el('blockquote', { class: 'said' }, el('span', { class: 'visually-hidden' }, 'They say: '), view.text));
  card.append(
    el('p', { class: 'hint' }, 'Keep the voice you like with create_voice_from_preview and its generated_voice_id.'),
  );
  root.replaceChildren(card);
}

/** A message in place of a player: while the tool runs, or when there is nothing to play. */
export function message(text: string, kind: 'waiting' | 'error'): void {
  root.replaceChildren(
    el('article', { class: `card ${kind}`, role: kind === 'error' ? 'alert' : 'status' }, el('p', {}, text)),
  );
}

// One clip's audio element and controls, and the page's tracks: starting one pauses the others.
import { el, ICON_DOWNLOAD, ICON_PAUSE, ICON_PLAY } from './dom.js';
import type { Highlighter } from './highlighter.js';
import { app, freshClip } from './host.js';
import { type Clip, clock, duration, size } from './result.js';

const SPEEDS = [0.5, 0.75, 1, 1.25, 1.5, 2];
/** Browsers play these; raw PCM and telephony codecs they cannot. */
const PLAYABLE = /^audio\/(mpeg|mp3|wav|wave|x-wav|ogg|opus|webm|aac|mp4|flac)$/i;

/** Every track of the view on show, in order. */
export const tracks: Track[] = [];
let active: Track | undefined;

/** The track the keyboard shortcuts act on: the one last started, or the one the view set. */
export function activeTrack(): Track | undefined {
  return active;
}

export function setActiveTrack(track: Track | undefined): void {
  active = track;
}

/** Pauses every track: before a new view replaces them, or when the host tears the view down. */
export function pauseAll(): void {
  for (const track of tracks) track.audio.pause();
}

/** One clip: its audio element and controls. Previews get one each, in compact rows. */
export class Track {
  readonly audio = new Audio();
  readonly element: HTMLElement;
  readonly durationText = el('span', { class: 'duration' }, '…');
  private readonly play = el('button', { type: 'button', class: 'play', 'aria-label': 'Play' });
  private readonly seek = el('input', {
    type: 'range',
    class: 'seek',
    min: '0',
    max: '0',
    step: 'any',
    value: '0',
    disabled: '',
  });
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
      this.say(
        'The audio could not be loaded; its link may have expired, and this host cannot fetch a fresh one: ask for ' +
          'one with get_audio_url.',
      );
      return;
    }
    if (this.refreshed) {
      this.say(
        'The audio could not be loaded, even from a fresh link. Use the download link, or ask for a new one with ' +
          'get_audio_url.',
      );
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
        if (position > 0)
          this.audio.addEventListener('loadedmetadata', () => (this.audio.currentTime = position), { once: true });
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
    const link = {
      type: 'resource_link' as const,
      uri: url,
      name: filename,
      mimeType,
      ...(bytes ? { size: bytes } : {}),
    };
    const answer = capabilities.downloadFile
      ? await app.downloadFile({ contents: [link] })
      : await app.openLink({ url });
    if (answer.isError) this.say('The host did not download the file.');
  }

  private say(message: string): void {
    this.status.textContent = message;
    this.status.hidden = message === '';
  }
}

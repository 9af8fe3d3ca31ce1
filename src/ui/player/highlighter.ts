// The transcript that follows playback, for text_to_speech results with character timestamps.
import { el } from './dom.js';
import { type Alignment, spokenIndex } from './result.js';

/**
 * The spoken text, each character a span: those already spoken are marked, and the word being spoken
 * stands out (a lone highlighted character flickers too fast to follow).
 */
export class Highlighter {
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
    this.element = el(
      'section',
      { class: 'transcript', 'aria-label': 'Transcript' },
      el('p', { class: 'visually-hidden' }, text),
      visible,
    );
  }

  show(time: number): void {
    const index = spokenIndex(this.alignment, time);
    if (index === this.shown) return;
    const [from, to] = index > this.shown ? [this.shown + 1, index] : [index + 1, this.shown];
    for (let i = Math.max(0, from); i <= to && i < this.spans.length; i++)
      this.spans[i]!.classList.toggle('spoken', i <= index);
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
    for (let i = word[0]; i <= word[1]; i++)
      if (!/\s/.test(this.alignment.characters[i]!)) this.spans[i]!.classList.toggle('current', on);
  }
}

function wordsOf(characters: readonly string[]): Array<readonly [number, number]> {
  const words: Array<readonly [number, number]> = new Array(characters.length);
  let start = 0;
  for (let i = 0; i <= characters.length; i++) {
    const ends =
      i === characters.length ||
      (/\s/.test(characters[i]!) && (i + 1 === characters.length || !/\s/.test(characters[i + 1]!)));
    if (!ends) continue;
    const word = [start, Math.min(i, characters.length - 1)] as const;
    for (let j = start; j <= word[1]; j++) words[j] = word;
    start = i + 1;
  }
  return words;
}

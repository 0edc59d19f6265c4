// A distinct tone pattern per verdict, made with WebAudio (no audio files): the officer hears the
// verdict without looking. Browsers allow audio only after a user gesture, so enable() runs on a click.

const PATTERNS = {
  // two rising beeps
  ALLOW: [{ f: 880, d: 0.12, type: 'sine' }, { gap: 0.05 }, { f: 1320, d: 0.16, type: 'sine' }],
  // three low buzzes
  DENY: [{ f: 220, d: 0.22, type: 'square' }, { gap: 0.08 }, { f: 220, d: 0.22, type: 'square' }, { gap: 0.08 }, { f: 220, d: 0.3, type: 'square' }],
  // two even mid tones
  REVIEW: [{ f: 660, d: 0.2, type: 'triangle' }, { gap: 0.12 }, { f: 660, d: 0.2, type: 'triangle' }],
  // one short soft blip: not a refusal, just "scan again"
  MISREAD: [{ f: 520, d: 0.09, type: 'sine' }],
};

export class Sound {
  constructor() {
    this.ctx = null;
    this.enabled = localStorage.getItem('sound') !== 'off';
    this.count = 0;
  }

  /** Create the audio context; call from a user gesture. */
  unlock() {
    if (this.ctx || typeof AudioContext === 'undefined') return;
    try {
      this.ctx = new AudioContext();
    } catch {
      this.ctx = null;
    }
  }

  toggle() {
    this.enabled = !this.enabled;
    localStorage.setItem('sound', this.enabled ? 'on' : 'off');
    if (this.enabled) this.unlock();
    return this.enabled;
  }

  /** Play the cue for a verdict. Marks the page too, so a test (or a curious officer) can see a cue was due. */
  cue(verdict) {
    this.count += 1;
    document.body.dataset.cue = `${verdict}:${this.count}`;
    const pattern = PATTERNS[verdict];
    if (!this.enabled || !this.ctx || !pattern) return;
    if (this.ctx.state === 'suspended') this.ctx.resume().catch(() => {});
    let t = this.ctx.currentTime + 0.01;
    for (const step of pattern) {
      if (step.gap) {
        t += step.gap;
        continue;
      }
      const osc = this.ctx.createOscillator();
      const gain = this.ctx.createGain();
      osc.type = step.type;
      osc.frequency.value = step.f;
      // Short ramps avoid clicks at the start and end of each tone.
      gain.gain.setValueAtTime(0.0001, t);
      gain.gain.exponentialRampToValueAtTime(0.3, t + 0.01);
      gain.gain.exponentialRampToValueAtTime(0.0001, t + step.d);
      osc.connect(gain).connect(this.ctx.destination);
      osc.start(t);
      osc.stop(t + step.d + 0.02);
      t += step.d;
    }
  }
}

import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { render } from 'lit';
import { emailFrame } from '../../src/internal/email-frame.js';

/** A stand-in preview page that echoes every message it gets back to its parent. */
const echoPage = () =>
  URL.createObjectURL(
    new Blob(
      [
        `<!doctype html><script>addEventListener('message', (e) => parent.postMessage({ echo: e.data }, '*'));</script>`,
      ],
      { type: 'text/html' },
    ),
  );

describe('emailFrame()', () => {
  let echoes: unknown[];
  const onMessage = (e: MessageEvent) => {
    if (e.data && typeof e.data === 'object' && 'echo' in e.data) echoes.push(e.data.echo);
  };
  beforeEach(() => {
    echoes = [];
    addEventListener('message', onMessage);
  });
  afterEach(() => removeEventListener('message', onMessage));

  const frameIn = (host: HTMLElement, body: string, url?: string) => {
    render(html`<iframe title="Email" sandbox="" ${emailFrame(body, url)}></iframe>`, host);
    return host.querySelector('iframe')!;
  };

  it('is accessible', async () => {
    const host = await fixture<HTMLDivElement>(html`<div></div>`);
    frameIn(host, '<p>Hello</p>');
    await expect(host).to.be.accessible();
  });

  it('without a preview page: a script-less sandboxed srcdoc frame', async () => {
    const host = await fixture<HTMLDivElement>(html`<div></div>`);
    const frame = frameIn(host, '<p>Hello</p>');
    expect(frame.getAttribute('sandbox')).to.equal('');
    expect(frame.srcdoc).to.equal('<p>Hello</p>');
    expect(frame.hasAttribute('src')).to.equal(false);
  });

  it('with a preview page: loads it sandboxed with scripts only, posts the HTML on load and on change', async () => {
    const host = await fixture<HTMLDivElement>(html`<div></div>`);
    const url = echoPage();
    const frame = frameIn(host, '<p>First</p>', url);
    expect(frame.getAttribute('sandbox')).to.equal('allow-scripts');
    expect(frame.getAttribute('src')).to.equal(url);
    expect(frame.hasAttribute('srcdoc')).to.equal(false);
    await waitUntil(() => echoes.length === 1, 'the page received the HTML after it loaded');
    expect(echoes[0]).to.deep.equal({ type: 'dm-preview', html: '<p>First</p>', title: 'Email' });

    frameIn(host, '<p>Second</p>', url);
    await waitUntil(() => echoes.length === 2, 'a change is posted without reloading the page');
    expect(echoes[1]).to.deep.equal({ type: 'dm-preview', html: '<p>Second</p>', title: 'Email' });
    expect(frame.getAttribute('src')).to.equal(url);

    frameIn(host, '<p>Inline</p>');
    expect(frame.getAttribute('sandbox')).to.equal('');
    expect(frame.hasAttribute('src')).to.equal(false);
    expect(frame.srcdoc).to.equal('<p>Inline</p>');
    URL.revokeObjectURL(url);
  });
});

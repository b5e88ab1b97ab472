import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SseParser, type SseMessage } from '../../../src/sdk/sse.js';

function parse(chunks: string[], lastEventId = '') {
  const messages: SseMessage[] = [];
  const comments: string[] = [];
  const retries: number[] = [];
  const parser = new SseParser(
    {
      message: (m) => messages.push(m),
      comment: (c) => comments.push(c),
      retry: (ms) => retries.push(ms),
    },
    lastEventId,
  );
  for (const chunk of chunks) parser.feed(chunk);
  return { messages, comments, retries, lastEventId: parser.lastEventId };
}

/** Every way of cutting `text` into two chunks. */
function splits(text: string): string[][] {
  return Array.from({ length: text.length + 1 }, (_, i) => [text.slice(0, i), text.slice(i)]);
}

describe('sdk: SSE parser', () => {
  it('parses id, event and data fields and dispatches on a blank line', () => {
    const { messages, lastEventId } = parse(['id: 7\nevent: send\ndata: {"a":1}\n\n']);
    assert.deepEqual(messages, [{ event: 'send', data: '{"a":1}', lastEventId: '7' }]);
    assert.equal(lastEventId, '7');
  });

  it('gives the same result however the stream is chunked (LF, CR and CR LF)', () => {
    const text = ': ping\r\nid: 1\r\ndata: one\r\n\r\nid: 2\rdata: two\rdata: lines\r\rdata:three\n\n';
    const expected = [
      { event: 'message', data: 'one', lastEventId: '1' },
      { event: 'message', data: 'two\nlines', lastEventId: '2' },
      { event: 'message', data: 'three', lastEventId: '2' },
    ];
    for (const chunks of [...splits(text), text.split('')]) {
      const { messages, comments } = parse(chunks);
      assert.deepEqual(messages, expected, `chunks ${JSON.stringify(chunks)}`);
      assert.deepEqual(comments, ['ping']);
    }
  });

  it('reports comments, retry, and ignores unknown fields', () => {
    const { messages, comments, retries } = parse([
      ':\n: keep-alive\nretry: 2500\nretry: soon\nfoo: bar\ndata\n\n',
    ]);
    assert.deepEqual(comments, ['', 'keep-alive']);
    assert.deepEqual(retries, [2500]);
    assert.deepEqual(messages, [{ event: 'message', data: '', lastEventId: '' }]);
  });

  it('moves the last event id on an id-only frame, keeps it across frames, ignores ids with NUL', () => {
    const { messages, lastEventId } = parse(['id: 5\n\ndata: x\n\nid: a\0b\ndata: y\n\n'], '4');
    assert.deepEqual(
      messages.map((m) => m.lastEventId),
      ['5', '5'],
    );
    assert.equal(lastEventId, '5');
    assert.equal(parse(['id\n\n'], '9').lastEventId, '', 'a bare id field resets the id');
  });

  it('strips one leading space only, and a leading BOM', () => {
    const { messages } = parse(['\uFEFFdata:  two spaces\nevent:x\n\n']);
    assert.deepEqual(messages, [{ event: 'x', data: ' two spaces', lastEventId: '' }]);
  });

  it('does not dispatch an unterminated frame or a frame without data', () => {
    const { messages } = parse(['event: a\n\n', 'data: partial\n']);
    assert.deepEqual(messages, []);
  });
});

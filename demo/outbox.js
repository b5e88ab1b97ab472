// Outbox viewer: lists the .eml files the demo server wrote and shows one as a mail client would
// (sandboxed: no scripts; links open in a new tab, so clicks reach the tracking redirect).
import { startPortal } from './shell.js';

const list = document.getElementById('outbox-list');
const subject = document.getElementById('outbox-subject');
const headers = document.getElementById('outbox-headers');
const frame = document.getElementById('outbox-frame');
const status = document.getElementById('portal-status');
const SHOWN_HEADERS = [
  'from',
  'reply-to',
  'to',
  'date',
  'message-id',
  'list-unsubscribe',
  'list-unsubscribe-post',
];

async function show(id) {
  const res = await fetch(`/demo/api/outbox/${encodeURIComponent(id)}`);
  const mail = await res.json();
  subject.textContent = mail.subject;
  headers.replaceChildren(
    ...SHOWN_HEADERS.filter((h) => mail.headers[h]).flatMap((h) => {
      const dt = document.createElement('dt');
      dt.textContent = h;
      const dd = document.createElement('dd');
      dd.textContent = mail.headers[h];
      return [dt, dd];
    }),
  );
  frame.srcdoc = `<base target="_blank">${mail.html}`;
}

async function load() {
  const res = await fetch('/demo/api/outbox');
  if (!res.ok) {
    status.textContent = 'This server delivers over SMTP; there is no local outbox to show.';
    return;
  }
  const { items, total } = await res.json();
  status.textContent = total
    ? `${total} emails in the outbox.`
    : 'Nothing sent yet: send a journey from Marketing.';
  list.replaceChildren(
    ...items.map((m) => {
      const li = document.createElement('li');
      const button = document.createElement('button');
      button.type = 'button';
      button.innerHTML = '<strong></strong><span></span><time></time>';
      button.querySelector('strong').textContent = m.subject;
      button.querySelector('span').textContent = m.to;
      button.querySelector('time').textContent = new Date(m.at).toLocaleString();
      button.addEventListener('click', () => show(m.id));
      li.append(button);
      return li;
    }),
  );
  if (items[0]) await show(items[0].id);
}

startPortal({ current: './outbox.html' }).then(load);

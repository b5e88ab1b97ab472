// Partner portal page: the showroom; DM Kit elements are placed once a user is signed in.
import { startPortal } from './shell.js';

startPortal({
  current: './',
  preferRole: 'partner',
  onSignedIn(session) {
    const showroom = document.getElementById('showroom-slot');
    const send = document.getElementById('send-slot');
    if (!showroom.firstElementChild) {
      const catalogue = document.createElement('dm-journey-showroom');
      catalogue.setAttribute('for', 'quick-send');
      showroom.append(catalogue);
      // Choosing a journey presets the send form below; bring it into view.
      catalogue.addEventListener('dm-journey-select', () =>
        document.getElementById('quick-send')?.scrollIntoView({ block: 'start' }),
      );
    }
    // Sending is for partner users: brand-level users have no contacts of their own. This runs in the
    // same task as the token change, so a removed form never makes a request with the new token.
    if (session.user.partner) {
      if (!document.getElementById('quick-send')) {
        send.replaceChildren(Object.assign(document.createElement('dm-quick-send'), { id: 'quick-send' }));
      }
    } else {
      const note = Object.assign(document.createElement('p'), { className: 'portal-note' });
      note.textContent = 'Sending is for partner users. Pick a partner user above to send to their contacts.';
      send.replaceChildren(note);
    }
  },
});

// Partner portal page: the showroom; DM Kit elements are placed once a user is signed in.
import { startPortal } from './shell.js';

startPortal({
  current: './',
  preferRole: 'partner',
  onSignedIn() {
    const showroom = document.getElementById('showroom-slot');
    const send = document.getElementById('send-slot');
    if (showroom.firstElementChild) return;
    const quickSend = Object.assign(document.createElement('dm-quick-send'), { id: 'quick-send' });
    const catalogue = document.createElement('dm-journey-showroom');
    catalogue.setAttribute('for', 'quick-send');
    showroom.append(catalogue);
    send.append(quickSend);
    // Choosing a journey presets the send form below; bring it into view.
    catalogue.addEventListener('dm-journey-select', () => quickSend.scrollIntoView({ block: 'start' }));
  },
});

// Partner portal page: the showroom; DM Kit elements are placed once a user is signed in.
import { startPortal } from './shell.js';

startPortal({
  current: './',
  preferRole: 'partner',
  onSignedIn() {
    const slot = document.getElementById('showroom-slot');
    if (!slot.firstElementChild) slot.append(document.createElement('dm-journey-showroom'));
  },
});

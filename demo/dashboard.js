// Brand dashboard: network engagement for brand admins (the partner's own results for partner users),
// live as events arrive, and the journeys that work best across the network.
import { startPortal } from './shell.js';

startPortal({
  current: './dashboard.html',
  preferRole: 'brand_admin',
  onSignedIn(session) {
    const slot = document.getElementById('chart-slot');
    const chart =
      slot.querySelector('dm-engagement-chart') ??
      slot.appendChild(document.createElement('dm-engagement-chart'));
    chart.setAttribute('live', '');
    if (session.user.role === 'brand_admin') chart.setAttribute('scope', 'network');
    else chart.removeAttribute('scope');
  },
});

// Approver desk: the queue for approvers and brand admins; partner users see their own submissions.
import { startPortal } from './shell.js';

startPortal({
  current: './approvals.html',
  preferRole: 'approver',
  onSignedIn(session) {
    const slot = document.getElementById('queue-slot');
    const queue =
      slot.querySelector('dm-approval-queue') ??
      slot.appendChild(document.createElement('dm-approval-queue'));
    if (session.user.role === 'partner') queue.setAttribute('view', 'mine');
    else queue.removeAttribute('view');
  },
});

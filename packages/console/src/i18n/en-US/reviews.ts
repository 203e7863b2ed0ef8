import type { Messages } from '../index.js';

export const reviews: Messages['reviews'] = {
  title: 'Applications',
  subtitle: 'Enterprises waiting for review: check each document, then approve or reject',
  empty: 'No applications are waiting for review.',
  review: 'Review',
};

export const review: Messages['review'] = {
  facts: 'Enterprise',
  documents: 'Documents ({n})',
  noDocuments: 'This enterprise has uploaded no documents.',
  preview: 'Preview',
  openNewTab: 'Open in a new tab',
  expires: 'valid until {date}',
  verifyDoc: 'Verify',
  rejectDoc: 'Reject',
  docVerified: 'Document verified',
  docRejected: 'Document rejected',
  approve: 'Approve',
  approveConfirm: 'The documents are in order: approve the application?',
  approved: 'Approved',
  reject: 'Reject',
  rejectTitle: 'Reject the application',
  rejectDocTitle: 'Reject this document',
  rejected: 'Rejected',
  suspend: 'Suspend',
  suspendTitle: 'Suspend the enterprise',
  suspended: 'Enterprise suspended',
  reinstate: 'Reinstate',
  reinstated: 'Enterprise reinstated',
  reason: 'Reason',
  reasonRequired: 'Give the reason; the enterprise will see it',
  reasonHelp: 'e.g. The business licence has expired; upload the current one',
  lastReason: 'Reviewer’s note',
};

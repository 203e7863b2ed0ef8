import type { Messages } from '../index.js';

export const eventShares: Messages['eventShares'] = {
  title: 'Data sharing',
  subtitle:
    'Let trading partners or regulators read your trace events; they see them in Events beside their own',
  subtitleRegulator: 'Trace events enterprises shared with the regulators of your jurisdiction',
  given: 'Shared by us',
  received: 'Shared with us',
  create: 'New share',
  refresh: 'Refresh',
  grantee: 'Shared with',
  granteeType: 'Share with',
  granteeEnterprise: 'Partner enterprise',
  granteeRegulator: 'Regulators',
  unknownEnterprise: 'Enterprise (ID {id})',
  enterpriseId: 'Partner’s enterprise ID',
  enterpriseIdHelp: 'Ask your partner to copy their enterprise ID from Data sharing → Shared with us',
  enterpriseIdPattern: 'An enterprise ID is a 36-character UUID, e.g. 0190f3a2-…',
  jurisdiction: 'Jurisdiction',
  jurisdictionHelp:
    'Only regulator accounts of exactly this region see it: a province’s share is not seen by city or county accounts',
  scope: 'Scope',
  bizSteps: 'Business steps',
  bizStepsAll: 'All business steps',
  bizStepsHelp: 'Leave empty to share all events; otherwise only events of these steps',
  allEvents: 'All events',
  window: 'Event time',
  from: 'From (inclusive)',
  to: 'To (exclusive)',
  windowHelp: 'Limits by when the events happened (Beijing time); leave empty for no limit',
  toAfterFrom: 'The end must come after the start',
  anyTime: 'Any time',
  since: 'From {from}',
  until: 'Before {to}',
  between: '{from} to {to}',
  note: 'Note',
  notePlaceholder: 'e.g. Q1 shipments to the East China distribution centre',
  created: 'Created',
  createdAt: 'Created at',
  status: 'Status',
  active: 'Active',
  revoked: 'Revoked',
  revoke: 'Revoke',
  revokeConfirm:
    'Once revoked, the grantee no longer sees these events, at once; it cannot be undone (you can share again). Revoke?',
  revokedDone: 'Share revoked',
  createdDone: 'Shared: the grantee can read the events now',
  owner: 'Shared by',
  viewEvents: 'View events',
  viewEventsHelp: 'Opens Events filtered by this share’s business step and time window',
  emptyGiven:
    'Nothing shared yet. Press “New share” and choose a partner enterprise or regulators and the events to share.',
  emptyGivenOperator:
    'Your enterprise shares no events yet. An enterprise administrator creates shares here.',
  emptyReceived:
    'No enterprise shares events with you yet. Send your partners the enterprise ID above and ask them to create a share in Data sharing.',
  emptyReceivedRegulator:
    'No enterprise shares events with your jurisdiction yet. An enterprise shares by choosing Regulators and your jurisdiction in Data sharing.',
  ownId: 'Our enterprise ID',
  ownIdHelp: 'Partners need this ID to share their events with you',
  receivedNote:
    'Shared events appear in Events together with your own. The events query cannot filter by owner; “View events” filters by the share’s business step (when it names one) and time window.',
  receivedNoteRegulator:
    'Events shared with your jurisdiction appear in Events; a revoked share disappears at once.',
};

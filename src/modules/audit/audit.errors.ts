import { defineErrors } from '../../shared/errors/domain-error';

export const AuditErrors = defineErrors({
  NO_TREE_HEAD: [404, 'No signed tree head has been issued yet'],
  AUDIT_LEAF_NOT_FOUND: [404, 'No sequenced audit event has this leaf hash (yet)'],
  TREE_SIZE_UNAVAILABLE: [422, 'The tree size is beyond the latest signed tree head'],
  LEAF_NOT_IN_TREE: [422, 'The leaf was sequenced after the tree of this size'],
  CONSISTENCY_SIZES: [422, 'A consistency proof needs first ≤ second'],
});

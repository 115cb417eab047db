import { defineErrors } from '../../shared/errors/domain-error';

export const DeliverableErrors = defineErrors({
  UPLOAD_TOO_LARGE: [413, 'The file is larger than MAX_UPLOAD_BYTES'],
  STORAGE_QUOTA_EXCEEDED: [413, "The file would exceed your organisation's storage quota"],
  DELIVERABLE_NOT_READY: [409, 'The file is not verified yet (or was rejected)'],
  RANGE_NOT_SATISFIABLE: [416, 'The requested range lies outside the file'],
  PRECONDITION_FAILED: [412, 'The file does not match the request preconditions'],
  DELIVERABLE_VERSION_TAKEN: [
    409,
    'Another upload of this kind was registered at the same time; retry',
    { constraints: ['deliverables_milestone_kind_version_key'] },
  ],
  MILESTONE_CLOSED_FOR_UPLOADS: [
    409,
    'Files can be added while the milestone is pending or changes are requested',
  ],
});

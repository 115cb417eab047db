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
  // The tus endpoint (/api/v1/uploads/{id}): tus keeps its status codes, the body says which.
  UPLOAD_NOT_FOUND: [404, 'No such upload'],
  UPLOAD_GONE: [410, 'The upload no longer exists'],
  UPLOAD_OFFSET_MISMATCH: [409, 'Upload-Offset does not match the bytes received so far (HEAD tells)'],
  UPLOAD_LENGTH_MISMATCH: [413, 'The request carries more bytes than the upload declared'],
  UPLOAD_HEADER_MISSING: [
    403,
    'Upload-Offset and Content-Type: application/offset+octet-stream are required',
  ],
  UPLOAD_HEADER_INVALID: [400, 'A tus header is invalid'],
  UPLOAD_BUSY: [400, 'Another request was writing this upload; retry'],
  TUS_VERSION_REQUIRED: [412, 'Tus-Resumable: 1.0.0 is required'],
});

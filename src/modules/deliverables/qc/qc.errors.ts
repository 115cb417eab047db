import { defineErrors } from '../../../shared/errors/domain-error';

export const QcErrors = defineErrors({
  QC_FAILED: [
    409,
    'A current video deliverable of the milestone has an unwaived mandatory QC failure or no finished QC report',
  ],
  QC_NOT_A_VIDEO: [409, 'This deliverable is not a video: it has no QC report'],
  QC_STATE_CONFLICT: [409, 'The QC report is not in a state that allows this'],
  QC_NOT_WAIVABLE: [422, 'Only failed checks of a finished QC report can be waived'],
  QC_ALREADY_WAIVED: [
    409,
    'A check of this deliverable is waived already',
    { constraints: ['deliverable_qc_waivers_item_key'] },
  ],
});

import { Memo } from './memo.decorator.js';

export class ReverseTransferDto {
  @Memo()
  memo?: string;
}

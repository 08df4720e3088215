import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsDefined, IsString, Length, Matches, ValidateIf } from 'class-validator';

export class ChooseReceiptNameDto {
  @ApiProperty({
    type: String,
    nullable: true,
    minLength: 1,
    maxLength: 40,
    description: 'How you want to appear on the receipts of your contributions in this circle (e.g. a first name), or null to be "a neighbour" again.',
    example: 'Dana K.',
  })
  @IsDefined({ message: 'name must be given (null to stop being named)' })
  @ValidateIf((dto: ChooseReceiptNameDto) => dto.name !== null)
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @Length(1, 40)
  @Matches(/^[^\p{Cc}\p{Cf}]+$/u, { message: 'name must not contain control or format characters' })
  name: string | null;
}

export class ReceiptNameResponse {
  @ApiProperty({ type: String, nullable: true, description: 'Your name on receipts posted from now on; null: "a neighbour".' })
  name: string | null;

  @ApiProperty({ type: 'integer', description: 'Receipts already published that no longer show your name (when you withdrew it); 0 otherwise.' })
  unnamedReceipts: number;
}

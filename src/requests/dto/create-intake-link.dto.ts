import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

export class CreateIntakeLinkDto {
  /** At most this many requests made through the link may be open (submitted or in review) at once; omit for no cap. */
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 10000, example: 20 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10000)
  maxOpenRequests?: number;
}

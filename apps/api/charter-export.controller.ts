import { Controller, Get, Header } from '@nestjs/common';
import { AdminOnly } from '@ruche/common';
import { CharterService } from '@ruche/governance';

/** Network admins export who accepted which version of the charter, and when (CSV). */
@Controller('api/charter')
export class CharterExportController {
  constructor(private readonly charters: CharterService) {}

  @AdminOnly()
  @Get('acceptances.csv')
  @Header('Content-Type', 'text/csv; charset=utf-8')
  @Header('Content-Disposition', 'attachment; filename="charter-acceptances.csv"')
  @Header('Cache-Control', 'no-store')
  acceptances(): Promise<string> {
    return this.charters.exportCsv();
  }
}

import { Controller, Delete, Get, HttpCode, Param, UseGuards } from '@nestjs/common';
import { CurrentIdentity, type Identity } from '../auth/current-identity.decorator.js';
import { TokenCallerGuard } from '../auth/token-caller.guard.js';
import { normalizeEmail } from '../common/email.js';
import { ApiKeysService } from '../api-keys/api-keys.service.js';
import { StaffGuard } from './staff.guard.js';

/** Staff list and revoke any user's API keys; a revocation is audited with the staff member's address. */
@Controller('admin/users/:email/api-keys')
@UseGuards(TokenCallerGuard, StaffGuard)
export class AdminApiKeysController {
  constructor(private readonly apiKeys: ApiKeysService) {}

  @Get()
  async list(@Param('email') rawEmail: string) {
    const email = normalizeEmail(rawEmail);
    return { email, keys: await this.apiKeys.list(email) };
  }

  @Delete(':id')
  @HttpCode(204)
  async revoke(
    @Param('email') rawEmail: string,
    @Param('id') id: string,
    @CurrentIdentity() staff: Identity,
  ): Promise<void> {
    await this.apiKeys.revoke(normalizeEmail(rawEmail), id, { type: 'staff', staffEmail: staff.email });
  }
}

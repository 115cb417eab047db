import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Allow } from '../../../shared/auth/decorators';
import { Policy } from '../../../shared/auth/policies';
import { CommonErrors } from '../../../shared/errors/common.errors';
import { ApiErrors } from '../../../shared/openapi/api-errors';
import { OcdsRecordPackageDto, OcdsReleasePackageDto, OcdsReleasesQuery } from './dto/ocds.dto';
import { OcdsService } from './ocds.service';

/** Sends stored JSON text as is: releases keep their bytes (and key order) on every fetch. */
async function sendJson(reply: FastifyReply, text: string): Promise<void> {
  await reply.header('Content-Type', 'application/json; charset=utf-8').send(text);
}

/** OCDS 1.1 open data of public-body broadcasters (anyone). */
@ApiTags('open-data')
@Controller('open-data/ocds')
export class OcdsController {
  constructor(private readonly ocds: OcdsService) {}

  /** Published releases in publication order; `links.next` while there are more. */
  @Get('releases')
  @Allow(Policy.Public)
  @ApiErrors(CommonErrors.INVALID_CURSOR)
  @ApiOkResponse({ type: OcdsReleasePackageDto })
  async releases(@Query() q: OcdsReleasesQuery, @Res() reply: FastifyReply): Promise<void> {
    await sendJson(reply, await this.ocds.releasePackage(q));
  }

  /** One contracting process (one brief): its releases and compiled release; 404 if unknown. */
  @Get('records/:ocid')
  @Allow(Policy.Public)
  @ApiErrors(CommonErrors.NOT_FOUND)
  @ApiOkResponse({ type: OcdsRecordPackageDto })
  async record(@Param('ocid') ocid: string, @Res() reply: FastifyReply): Promise<void> {
    await sendJson(reply, await this.ocds.recordPackage(ocid));
  }
}

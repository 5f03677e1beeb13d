import { Module } from '@nestjs/common';
import { ContentController, ProContentController } from './content.controller.js';

/** Example guarded content: /content/free, /content/basic, /content/pro. */
@Module({ controllers: [ContentController, ProContentController] })
export class ContentModule {}

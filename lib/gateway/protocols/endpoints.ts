import type { GatewayRequest, GatewayResponse } from "../http/types";
import { runPipeline } from "../pipeline/run";
import { chatCompletionsProtocol } from "./chat-completions";
import { embeddingsProtocol } from "./embeddings";
import { messagesProtocol } from "./messages";
import { responsesProtocol } from "./responses";

/** The model endpoints: each is one protocol through the one pipeline. */
export const chatCompletions = (req: GatewayRequest): Promise<GatewayResponse> => runPipeline(chatCompletionsProtocol, req);
export const createResponse = (req: GatewayRequest): Promise<GatewayResponse> => runPipeline(responsesProtocol, req);
export const createMessage = (req: GatewayRequest): Promise<GatewayResponse> => runPipeline(messagesProtocol, req);
export const createEmbeddings = (req: GatewayRequest): Promise<GatewayResponse> => runPipeline(embeddingsProtocol, req);

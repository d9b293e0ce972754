import type { GatewayRequest, GatewayResponse } from "../http/types";
import { runPipeline } from "../pipeline/run";
import { chatCompletionsProtocol } from "./chat-completions";
import { messagesProtocol } from "./messages";
import { responsesProtocol } from "./responses";

/** The model endpoints: each is one protocol through the one pipeline. */
export const chatCompletions = (req: GatewayRequest): Promise<GatewayResponse> => runPipeline(chatCompletionsProtocol, req);
export const createResponse = (req: GatewayRequest): Promise<GatewayResponse> => runPipeline(responsesProtocol, req);
export const createMessage = (req: GatewayRequest): Promise<GatewayResponse> => runPipeline(messagesProtocol, req);

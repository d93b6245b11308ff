import type { HttpResponseInit } from '@azure/functions';
import { signInPageHeaders } from '../shared/signIn/renderSignInPage.js';
import { problem } from './problem.js';

/** A sign-in page as an HTTP response, with the headers every one of them carries. */
export function toPage(page: { status: number; body: string }): HttpResponseInit {
  return { status: page.status, headers: { ...signInPageHeaders }, body: page.body };
}

/** Sign-in links need Vigil's public address; without it the routes exist but say so. */
export function signInsOff(): HttpResponseInit {
  return {
    status: 404,
    headers: { ...signInPageHeaders },
    body: '<!doctype html><title>Sign-in links are off</title><p>Sign-in links are not enabled on this Vigil (VIGIL_PUBLIC_BASE_URL is not set).</p>',
  };
}

/** The API's answer when sign-in links are off. */
export function signInsOffProblem(): HttpResponseInit {
  return problem('signInsOff', "Set VIGIL_PUBLIC_BASE_URL to Vigil's public address to connect and reconnect by sign-in (docs/tokens.md).");
}

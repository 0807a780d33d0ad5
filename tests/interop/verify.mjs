// An independent verifier of titrepro's digital badges: the Digital Bazaar JS stack (W3C VC 2.0, Data Integrity,
// eddsa-rdfc-2022, Bitstring Status List), with an offline document loader. Nothing is fetched: the loader serves
// the VC 2.0 context from the @digitalbazaar/credentials-context package, and what the test passes in (the OB
// 3.0 context, the authority's DID document, the status lists, as our host serves them).
//
// stdin: {"credential": {...}, "documents": {"<url>": {...}}}
// stdout: {"verified": bool, "error": "...", "revoked": bool | null, "statusVerified": bool | null}
import {readFileSync} from 'node:fs';
import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import {checkStatus} from '@digitalbazaar/vc-bitstring-status-list';
import {contexts as credentialsContexts} from '@digitalbazaar/credentials-context';

const request = JSON.parse(readFileSync(0, 'utf8'));
const documents = new Map(Object.entries(request.documents));
for(const [url, context] of credentialsContexts) {
  documents.set(url, context);
}

async function documentLoader(url) {
  const [base, fragment] = url.split('#');
  if(fragment !== undefined && documents.has(base) && base.startsWith('did:')) {
    // A verification method of a DID document: the method itself, in the Multikey context.
    const did = documents.get(base);
    const method = (did.verificationMethod || []).find(m => m.id === url);
    if(method) {
      return {contextUrl: null, documentUrl: url, document: {
        '@context': 'https://w3id.org/security/multikey/v1', ...method}};
    }
  }
  if(documents.has(url)) {
    return {contextUrl: null, documentUrl: url, document: documents.get(url)};
  }
  throw new Error(`offline loader: ${url} not served`);
}

const suite = new DataIntegrityProof({cryptosuite: eddsaRdfc2022});
let answer;
try {
  const result = await vc.verifyCredential({
    credential: request.credential, suite, documentLoader, checkStatus,
  });
  const status = result.statusResult;
  // The trap of the reference notes: a revoked credential may still be "verified"; the bit is in the results.
  const revoked = status && status.results ? status.results.some(r => r.status === true) : null;
  const errors = [result.error, ...(result.results || []).map(r => r.error)].filter(Boolean);
  answer = {
    verified: result.verified,
    revoked,
    statusVerified: status ? status.verified : null,
    error: errors.map(e => e.message || String(e)).join('; ') || (status && status.error ? status.error.message : ''),
  };
} catch(error) {
  answer = {verified: false, revoked: null, statusVerified: null, error: error.message || String(error)};
}
process.stdout.write(JSON.stringify(answer));

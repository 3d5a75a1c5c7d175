"""Debian's jwcrypto as an independent JOSE judge for the interop tests (KMS issue 3, JOSE issue 4).

Reads one JSON request {"cases": [...]} on stdin and writes {"answers": [...]} on stdout, one
answer per case in order, so a test pays the interpreter start-up once for many cases. Binary
values travel as base64url (RFC 4648 §5). A case that fails answers {"ok": false, "error":
<exception class>}: only the class name, never a message, so no key material, plaintext or
token can reach a log. Run it with /usr/bin/python3, the interpreter that sees dist-packages.

Operations (each case names one in "op"; a signer is {jwk, alg, kid, protected?, header?}):
  generate   {kty, size?, crv?}                           -> {jwk}  a private JWK by jwcrypto
  sign       {payload, <signer>, flat?, serialization?, detached?}
             {payload, signers: [<signer>, ...], detached?}  -> {jws}  several: general JSON
             serialization is compact (default), flattened (also flat: true) or general; a
             protected {"b64": false, "crit": ["b64"]} signs the payload unencoded (RFC 7797).
  verify     {jwk, jws, payload?}                         -> {payload, header}  payload: detached
  encrypt    {plaintext, jwk, alg, enc, kid, protected?, aad?, json?}
             {plaintext, enc, recipients: [{jwk, alg, kid}], protected?, aad?}  -> {jwe}
             compact unless aad, json or recipients; protected adds zip, typ, cty, ...
  decrypt    {jwk, jwe}                           -> {plaintext, header (protected), aad?}
  jwt-sign   {jwk, alg, kid, claims, protected?, encryptTo?: {jwk, alg, enc, kid}} -> {jwt}
  jwt-verify {jwk | jwks, jwt, check?, decryptWith?}      -> {claims, header, outerHeader?}
             check: jwcrypto's check_claims ({"exp": null} checks exp against the clock);
             decryptWith opens a nested JWT (RFC 7519 §5.2, cty "JWT") before verifying it.
"""

import json
import sys

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding
from jwcrypto import jwa, jwe, jws, jwt
from jwcrypto.common import JWException, base64url_decode, base64url_encode, json_decode
from jwcrypto.jwk import JWK, JWKSet


def _oaep(bits):
    """RSAES-OAEP with SHA-2 for both the hash and MGF1 (IANA JOSE registry, W3C WebCrypto)."""
    digest = {384: hashes.SHA384, 512: hashes.SHA512}[bits]

    class _RsaOaepSha2(jwa._RSA, jwa.JWAAlgorithm):  # pylint: disable=protected-access
        name = 'RSA-OAEP-%d' % bits
        description = 'RSAES OAEP using SHA-%d and MGF1 with SHA-%d' % (bits, bits)
        keysize = 2048
        algorithm_usage_location = 'alg'
        algorithm_use = 'kex'

        def __init__(self):
            super().__init__(padding.OAEP(padding.MGF1(digest()), digest(), None))

    return _RsaOaepSha2


# jwcrypto before 1.5 knows RSA-OAEP and RSA-OAEP-256 only. The two SHA-2 variants reuse its
# own RSA key-wrap class with pyca/cryptography's OAEP padding; everything else in the JWE
# (header, CEK, content encryption, serialization) stays jwcrypto's.
for _bits in (384, 512):
    jwa.JWA.algorithms_registry.setdefault('RSA-OAEP-%d' % _bits, _oaep(_bits))
JWE_ALGS = jwe.default_allowed_algs + [
    alg for alg in ('RSA-OAEP-384', 'RSA-OAEP-512') if alg not in jwe.default_allowed_algs
]
JWS_ALGS = list(jws.default_allowed_algs)


class NotNestedJWT(JWException):
    """A JWE handed to jwt-verify whose content type is not "JWT" (RFC 7519 §5.2)."""


def _text(value):
    """A compact string as is, or a JSON serialization given as an object."""
    return value if isinstance(value, str) else json.dumps(value)


def _serialized(token, flat):
    return json.loads(token.serialize()) if flat else token.serialize(compact=True)


def generate(case):
    params = {k: case[k] for k in ('kty', 'size', 'crv') if k in case}
    return {'jwk': JWK.generate(**params).export(private_key=True, as_dict=True)}


def _protected(signer):
    return {'alg': signer['alg'], 'kid': signer['kid'], **signer.get('protected', {})}


def _general(flattened):
    """jwcrypto writes one signature flattened; RFC 7515 §7.2.1 allows it general too."""
    signature = {k: flattened[k] for k in ('protected', 'header', 'signature') if k in flattened}
    return {'payload': flattened['payload'], 'signatures': [signature]}




def sign(case):
    signers = case.get('signers', [case])
    payload = base64url_decode(case['payload'])
    # RFC 7797: an unencoded payload is signed as its bytes; jwcrypto takes it as text.
    unencoded = _protected(signers[0]).get('b64') is False
    token = jws.JWS(payload.decode('utf-8') if unencoded else payload)
    for signer in signers:
        token.add_signature(
            JWK(**signer['jwk']), alg=signer['alg'],
            protected=json.dumps(_protected(signer)), header=signer.get('header'))
    form = 'general' if 'signers' in case else case.get(
        'serialization', 'flattened' if case.get('flat', False) else 'compact')
    detached = case.get('detached', False)
    if detached:
        # RFC 7515 Appendix F: the payload leaves the JWS; the signature still covers it.
        token.detach_payload()
    serialized = _serialized(token, form != 'compact')
    if form == 'general' and 'signatures' not in serialized:
        serialized = _general(serialized)
    if detached and form != 'compact':
        del serialized['payload']
    return {'jws': serialized}


def _deserialized(case):
    """The JWS with the bytes its signatures cover as payload. jwcrypto 1.1 has no detached-
    payload parameter and reads a compact payload as base64url even when b64 is false (RFC 7797
    §5.2), so a compact JWS goes in without its payload, which is set afterwards."""
    token = jws.JWS()
    parts = case['jws'].split('.') if isinstance(case['jws'], str) else None
    if parts is None or len(parts) != 3:
        token.deserialize(_text(case['jws']))
    else:
        token.deserialize(parts[0] + '..' + parts[2])
        unencoded = token.objects.get('b64') is False
        token.objects['payload'] = parts[1].encode('utf-8') if unencoded else base64url_decode(
            parts[1])
    if 'payload' in case:
        token.objects['payload'] = base64url_decode(case['payload'])
    return token


def verify(case):
    token = _deserialized(case)
    # Any one signature that verifies under this key is enough (jwcrypto's rule for general).
    token.verify(JWK(**case['jwk']))
    payload = token.payload
    payload = payload.encode('utf-8') if isinstance(payload, str) else payload
    return {'payload': base64url_encode(payload), 'header': token.jose_header}


def encrypt(case):
    aad = base64url_decode(case['aad']) if 'aad' in case else None
    plaintext = base64url_decode(case['plaintext'])
    extra = case.get('protected', {})
    if 'recipients' in case:
        # RFC 7516 §7.2.1: shared protected header, alg and kid per recipient.
        token = jwe.JWE(
            plaintext, protected=json.dumps({'enc': case['enc'], **extra}), aad=aad,
            algs=JWE_ALGS)
        for recipient in case['recipients']:
            token.add_recipient(
                JWK(**recipient['jwk']),
                header=json.dumps({'alg': recipient['alg'], 'kid': recipient['kid']}))
        return {'jwe': json.loads(token.serialize())}
    header = {'alg': case['alg'], 'enc': case['enc'], 'kid': case['kid'], **extra}
    token = jwe.JWE(plaintext, protected=json.dumps(header), aad=aad, algs=JWE_ALGS)
    token.add_recipient(JWK(**case['jwk']))
    return {'jwe': _serialized(token, aad is not None or case.get('json', False))}


def decrypt(case):
    token = jwe.JWE(algs=JWE_ALGS)
    token.deserialize(_text(case['jwe']), JWK(**case['jwk']))
    protected = token.objects.get('protected')
    answer = {
        'plaintext': base64url_encode(token.payload),
        # The protected header only; RFC 7516 §7.2.1 lets a JSON JWE have none.
        'header': json_decode(protected) if protected else {},
    }
    if 'aad' in token.objects:
        answer['aad'] = base64url_encode(token.objects['aad'])
    return answer


def jwt_sign(case):
    token = jwt.JWT(header=_protected(case), claims=case['claims'], algs=JWS_ALGS)
    token.make_signed_token(JWK(**case['jwk']))
    signed = token.serialize()
    if 'encryptTo' not in case:
        return {'jwt': signed}
    # RFC 7519 §5.2 and §11.2: sign, then encrypt, with cty "JWT" on the outer JWE.
    to = case['encryptTo']
    outer = {'alg': to['alg'], 'enc': to['enc'], 'kid': to['kid'], 'cty': 'JWT'}
    sealed = jwe.JWE(signed.encode('utf-8'), protected=json.dumps(outer), algs=JWE_ALGS)
    sealed.add_recipient(JWK(**to['jwk']))
    return {'jwt': sealed.serialize(compact=True)}


def _opened(case):
    """The signed JWT inside a nested one, and the outer JWE's header; else the token as is."""
    if case['jwt'].count('.') != 4:
        return case['jwt'], None
    sealed = jwe.JWE(algs=JWE_ALGS)
    sealed.deserialize(case['jwt'], JWK(**case['decryptWith']))
    outer = json_decode(sealed.objects['protected'])
    if str(outer.get('cty', '')).upper() != 'JWT':
        raise NotNestedJWT()
    return sealed.payload.decode('utf-8'), outer


def jwt_verify(case):
    signed, outer = _opened(case)
    # With a JWKS, jwcrypto itself picks the key named by the token's kid.
    key = JWKSet.from_json(json.dumps(case['jwks'])) if 'jwks' in case else JWK(**case['jwk'])
    token = jwt.JWT(jwt=signed, key=key, algs=JWS_ALGS, check_claims=case.get('check'))
    answer = {'claims': json.loads(token.claims), 'header': json.loads(token.header)}
    if outer is not None:
        answer['outerHeader'] = outer
    return answer


OPERATIONS = {
    'generate': generate, 'sign': sign, 'verify': verify, 'encrypt': encrypt, 'decrypt': decrypt,
    'jwt-sign': jwt_sign, 'jwt-verify': jwt_verify,
}


def answer(case):
    try:
        return {'ok': True, **OPERATIONS[case['op']](case)}
    except Exception as err:  # pylint: disable=broad-except
        # The class alone: jwcrypto messages may quote headers or key parameters.
        return {'ok': False, 'error': type(err).__name__}


def main():
    request = json.load(sys.stdin)
    json.dump({'answers': [answer(case) for case in request['cases']]}, sys.stdout)


if __name__ == '__main__':
    main()

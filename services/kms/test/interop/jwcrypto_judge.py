"""An independent JOSE judge for the KMS interop test (issue 3), built on Debian's jwcrypto.

Reads one JSON request {"cases": [...]} on stdin and writes {"answers": [...]} on stdout, one
answer per case in order, so a test pays the interpreter start-up once for many cases. Binary
values travel as base64url (RFC 4648 §5). A case that fails answers {"ok": false, "error":
<exception class>}: only the class name, never a message, so no key material, plaintext or
token can reach a log. Run it with /usr/bin/python3, the interpreter that sees dist-packages.

Operations (each case names one in "op"):
  generate {kty, size?, crv?}                 -> {jwk}  a private JWK made by jwcrypto
  sign     {jwk, alg, kid, payload, flat?}    -> {jws}  compact, or flattened JSON when flat
  verify   {jwk, jws}                         -> {payload, header}
  encrypt  {jwk, alg, enc, kid, plaintext, aad?} -> {jwe}  compact, or flattened JSON with aad
  decrypt  {jwk, jwe}                         -> {plaintext, header, aad?}
"""

import json
import sys

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding
from jwcrypto import jwa, jwe, jws
from jwcrypto.common import base64url_decode, base64url_encode, json_decode
from jwcrypto.jwk import JWK


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


def _text(value):
    """A compact string as is, or a JSON serialization given as an object."""
    return value if isinstance(value, str) else json.dumps(value)


def _serialized(token, flat):
    return json.loads(token.serialize()) if flat else token.serialize(compact=True)


def generate(case):
    params = {k: case[k] for k in ('kty', 'size', 'crv') if k in case}
    return {'jwk': JWK.generate(**params).export(private_key=True, as_dict=True)}


def sign(case):
    token = jws.JWS(base64url_decode(case['payload']))
    token.add_signature(
        JWK(**case['jwk']), alg=case['alg'],
        protected=json.dumps({'alg': case['alg'], 'kid': case['kid']}))
    return {'jws': _serialized(token, case.get('flat', False))}


def verify(case):
    token = jws.JWS()
    token.deserialize(_text(case['jws']), JWK(**case['jwk']))
    return {'payload': base64url_encode(token.payload), 'header': token.jose_header}


def encrypt(case):
    header = {'alg': case['alg'], 'enc': case['enc'], 'kid': case['kid']}
    aad = base64url_decode(case['aad']) if 'aad' in case else None
    token = jwe.JWE(
        base64url_decode(case['plaintext']), protected=json.dumps(header), aad=aad, algs=JWE_ALGS)
    token.add_recipient(JWK(**case['jwk']))
    return {'jwe': _serialized(token, aad is not None)}


def decrypt(case):
    token = jwe.JWE(algs=JWE_ALGS)
    token.deserialize(_text(case['jwe']), JWK(**case['jwk']))
    answer = {
        'plaintext': base64url_encode(token.payload),
        'header': json_decode(token.objects['protected']),
    }
    if 'aad' in token.objects:
        answer['aad'] = base64url_encode(token.objects['aad'])
    return answer


OPERATIONS = {
    'generate': generate, 'sign': sign, 'verify': verify, 'encrypt': encrypt, 'decrypt': decrypt,
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

"""Sealed ballots of secret polls: libsodium sealed boxes (PyNaCl), no home-made crypto.

A secret poll's key pair is derived from a passphrase its officers choose at opening
(Argon2id through libsodium's pwhash, with a random salt stored on the poll). Only the public
key is stored; the private key exists in memory while the officers open the poll (to derive
the public key) and while they count. A ballot is sealed to the public key in the request
that casts it, so the database, its write-ahead log and its backups hold only ciphertext next
to the voter roll. See docs/notes-ballots.md for the threat model.
"""

import hashlib
import secrets
import struct
import unicodedata
from dataclasses import dataclass

import nacl.exceptions
import nacl.pwhash
from django.conf import settings
from django.utils.translation import gettext as _
from nacl.public import PrivateKey, PublicKey, SealedBox

# Long enough that guessing it offline (the salt and public key are in every backup) is out
# of reach even at a few guesses per second per core; short enough to type. Longer ones are
# refused, so that a pasted book cannot tie up a web process in Argon2.
PASSPHRASE_MIN_LENGTH = 16
PASSPHRASE_MAX_LENGTH = 200

# The plaintext of a ballot: a version tag, then for every option of the poll (ordered by
# id) its id and value. Every ballot of a poll has the same length, so the length of a
# ciphertext stored next to a voter tells nothing about how many proposals were chosen.
BALLOT_TAG = b"GPB1"
OPTION = struct.Struct(">QH")


class SealingError(Exception):
    """A passphrase or ciphertext that cannot be used; the message is for the officer."""


@dataclass(frozen=True)
class PollKey:
    public_key: str  # hex
    salt: str  # hex
    opslimit: int
    memlimit: int


def _limits() -> tuple[int, int]:
    # Argon2id "moderate" (3 passes over 256 MiB, about a second): run twice per poll, by an
    # officer; the test settings lower it.
    return getattr(
        settings,
        "PLENARY_ARGON2ID_LIMITS",
        (nacl.pwhash.argon2id.OPSLIMIT_MODERATE, nacl.pwhash.argon2id.MEMLIMIT_MODERATE),
    )


def normalise_passphrase(passphrase: str) -> str:
    """The same passphrase typed on two devices gives the same key (Unicode NFC, no outer spaces)."""
    return unicodedata.normalize("NFC", passphrase or "").strip()


def check_passphrase(passphrase: str) -> str:
    passphrase = normalise_passphrase(passphrase)
    if len(passphrase) < PASSPHRASE_MIN_LENGTH:
        raise SealingError(
            _("The passphrase must have at least %(min)s characters.") % {"min": PASSPHRASE_MIN_LENGTH}
        )
    if len(passphrase) > PASSPHRASE_MAX_LENGTH:
        raise SealingError(
            _("The passphrase may have at most %(max)s characters.") % {"max": PASSPHRASE_MAX_LENGTH}
        )
    return passphrase


def _derive(passphrase: str, *, salt: bytes, opslimit: int, memlimit: int) -> PrivateKey:
    seed = nacl.pwhash.argon2id.kdf(
        PrivateKey.SEED_SIZE, passphrase.encode(), salt, opslimit=opslimit, memlimit=memlimit
    )
    return PrivateKey.from_seed(seed)


def new_key(passphrase: str) -> PollKey:
    """A fresh key pair for a poll; only what may be stored is returned."""
    passphrase = check_passphrase(passphrase)
    opslimit, memlimit = _limits()
    salt = secrets.token_bytes(nacl.pwhash.argon2id.SALTBYTES)
    private = _derive(passphrase, salt=salt, opslimit=opslimit, memlimit=memlimit)
    return PollKey(
        public_key=bytes(private.public_key).hex(), salt=salt.hex(), opslimit=opslimit, memlimit=memlimit
    )


def unlock(passphrase: str, *, key: PollKey) -> PrivateKey:
    """The private key, if the passphrase reproduces the poll's public key."""
    passphrase = normalise_passphrase(passphrase)
    if not passphrase or len(passphrase) > PASSPHRASE_MAX_LENGTH:
        raise SealingError(_("This passphrase does not open this poll's ballots."))
    private = _derive(passphrase, salt=bytes.fromhex(key.salt), opslimit=key.opslimit, memlimit=key.memlimit)
    if not secrets.compare_digest(bytes(private.public_key), bytes.fromhex(key.public_key)):
        raise SealingError(_("This passphrase does not open this poll's ballots."))
    return private


def encode_ballot(*, option_ids: list[int], choices: dict[int, int]) -> bytes:
    return BALLOT_TAG + b"".join(OPTION.pack(pk, choices.get(pk, 0)) for pk in sorted(option_ids))


def decode_ballot(plaintext: bytes, *, option_ids: list[int]) -> dict[int, int]:
    """The non-zero choices; raises SealingError unless the ballot is for exactly these options."""
    body = plaintext[len(BALLOT_TAG) :]
    if not plaintext.startswith(BALLOT_TAG) or len(body) != OPTION.size * len(option_ids):
        raise SealingError(_("A sealed ballot does not belong to this poll."))
    pairs = [OPTION.unpack_from(body, i * OPTION.size) for i in range(len(option_ids))]
    if [pk for pk, _value in pairs] != sorted(option_ids):
        raise SealingError(_("A sealed ballot does not belong to this poll."))
    return {pk: value for pk, value in pairs if value}


def seal(plaintext: bytes, *, public_key: str) -> bytes:
    return SealedBox(PublicKey(bytes.fromhex(public_key))).encrypt(plaintext)


def open_sealed(ciphertext: bytes, *, private_key: PrivateKey) -> bytes:
    try:
        return SealedBox(private_key).decrypt(bytes(ciphertext))
    except nacl.exceptions.CryptoError as error:
        raise SealingError(_("A sealed ballot could not be opened.")) from error


def digest(ciphertext: bytes) -> str:
    """What the voter's receipt carries and the published list holds."""
    return hashlib.sha256(bytes(ciphertext)).hexdigest()

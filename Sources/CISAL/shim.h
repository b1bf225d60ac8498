// Intel ISA-L (Debian: libisal-dev): igzip's inflate and the CRC-32 of zip and gzip.
// Optional: Package.swift builds this module only where the header is installed.
//
// Swift sees the inflate state only as an opaque pointer: the struct holds ~50 KB of
// tables as C arrays, which Swift would import as huge tuples.
#include <stdint.h>
#include <stdlib.h>
#include <isa-l/igzip_lib.h>
#include <isa-l/crc.h>

// A state for raw deflate (zip's framing) that keeps the gzip CRC-32 of what it writes;
// allocated once per member, on the heap. NULL when out of memory.
static inline void *backfill_isal_inflate_new(void) {
    struct inflate_state *state = malloc(sizeof(struct inflate_state));
    if (state) {
        isal_inflate_init(state);
        state->crc_flag = ISAL_GZIP_NO_HDR;
    }
    return state;
}

static inline void backfill_isal_inflate_free(void *state) { free(state); }

static inline void backfill_isal_inflate_set_input(void *opaque, const uint8_t *input, uint32_t count) {
    struct inflate_state *state = opaque;
    state->next_in = (uint8_t *)input;
    state->avail_in = count;
}

// Inflates into [output, output + room); sets *written and *finished (the last block
// decoded and all its output written). Returns ISA-L's status: < 0 is corrupt data.
static inline int backfill_isal_inflate(void *opaque, uint8_t *output, uint32_t room, uint32_t *written, int *finished) {
    struct inflate_state *state = opaque;
    state->next_out = output;
    state->avail_out = room;
    int status = isal_inflate(state);
    *written = room - state->avail_out;
    *finished = state->block_state == ISAL_BLOCK_FINISH;
    return status;
}

// Whether every byte given has been taken (ISA-L may hold a few in its own buffers).
static inline int backfill_isal_inflate_needs_input(const void *opaque) {
    return ((const struct inflate_state *)opaque)->avail_in == 0;
}

// Input bytes given but not decoded: still at next_in, or read ahead into the bit buffer.
static inline uint64_t backfill_isal_inflate_unused(const void *opaque) {
    const struct inflate_state *state = opaque;
    return (uint64_t)state->avail_in + (uint64_t)(state->read_in_length > 0 ? state->read_in_length / 8 : 0);
}

// The CRC-32 of everything written so far (zip's and gzip's CRC).
static inline uint32_t backfill_isal_inflate_crc(const void *opaque) {
    return ((const struct inflate_state *)opaque)->crc;
}

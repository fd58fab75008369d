/*
 * Placement harness for scripts/bench-before-after.sh (host only; not part of lstmc's output).
 * Times m_step (a reset, then STEPS calls, batch 1) or m_predict (one STEPS-step sequence) of a
 * model generated with `--name m`, with its state at several byte offsets from a 4096-byte
 * boundary, in interleaved rounds so every placement sees the same machine, on the thread's CPU
 * clock. Prints the median ns per step at each offset and the spread (max - min) / min of those
 * medians: how much the state's address alone moves the time.
 *
 *     cc -std=c99 FLAGS -c m.c && cc -std=gnu11 -O2 -I. -c placement.c && cc m.o placement.o -lm
 *     ./a.out step|predict
 */
#define _POSIX_C_SOURCE 199309L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "m.h"

#define STEPS 1000
#define ROUNDS 15
#define WARMUP 2

static const size_t offsets[] = {0, 4, 16, 32, 64, 1024, 2048, 3072};
#define PLACES (sizeof offsets / sizeof offsets[0])

static double cpu_ns(void) {
    struct timespec now;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return (double)now.tv_sec * 1e9 + (double)now.tv_nsec;
}

static int compare(const void *a, const void *b) {
    const double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static float input[STEPS * M_INPUT_SIZE];
static float output[STEPS * M_OUTPUT_0_SIZE];
static char memory[8192 + sizeof(m_state_t)] __attribute__((aligned(4096)));
static double times[PLACES][ROUNDS];

int main(int argc, char **argv) {
    const int predict = argc > 1 && strcmp(argv[1], "predict") == 0;
    unsigned seed = 20261129u;
    double checksum = 0.0, lowest = 1e300, highest = 0.0;
    for (size_t i = 0; i < sizeof input / sizeof *input; ++i) {
        seed = seed * 1664525u + 1013904223u;
        input[i] = (float)(seed >> 8) / 8388608.0f - 1.0f;
    }
    for (int round = -WARMUP; round < ROUNDS; ++round) {
        for (size_t p = 0; p < PLACES; ++p) {
            m_state_t *state = (m_state_t *)(memory + 4096 + offsets[p]);
            const double start = cpu_ns();
            if (predict) {
                m_predict(state, input, STEPS, output);
            } else {
                m_reset(state);
                for (int t = 0; t < STEPS; ++t) m_step(state, input + t * M_INPUT_SIZE, output);
            }
            const double elapsed = cpu_ns() - start;
            checksum += output[0];
            if (round >= 0) times[p][round] = elapsed / STEPS;
        }
    }
    printf("%s ns/step by state offset:", predict ? "predict" : "step");
    for (size_t p = 0; p < PLACES; ++p) {
        qsort(times[p], ROUNDS, sizeof(double), compare);
        const double median = times[p][ROUNDS / 2];
        if (median < lowest) lowest = median;
        if (median > highest) highest = median;
        printf(" +%zu: %.0f", offsets[p], median);
    }
    printf("; spread %.1f %% (checksum %g)\n", 100.0 * (highest - lowest) / lowest, checksum);
    return 0;
}

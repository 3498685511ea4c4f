package netpoll

import (
	"errors"
	"testing"
	"time"
)

func TestWithDefaultsReplacesZeroFieldsAndKeepsTheOthers(t *testing.T) {
	tests := []struct {
		name string
		opts Options
		want Options
	}{
		{
			name: "zero value selects the defaults",
			opts: Options{},
			want: Options{EventBatch: 128, TaskBudget: 256},
		},
		{
			name: "explicit values and edge triggering are kept",
			opts: Options{EventBatch: 16, TaskBudget: 32, HoldWait: time.Millisecond},
			want: Options{EventBatch: 16, TaskBudget: 32, HoldWait: time.Millisecond},
		},
		{
			name: "only the zero field is defaulted",
			opts: Options{EventBatch: 1},
			want: Options{EventBatch: 1, TaskBudget: 256},
		},
		{
			name: "a hold wait above a millisecond is capped",
			opts: Options{HoldWait: time.Second},
			want: Options{EventBatch: 128, TaskBudget: 256, HoldWait: time.Millisecond},
		},
		{
			name: "a negative hold wait is kept: it turns the step off",
			opts: Options{HoldWait: -1},
			want: Options{EventBatch: 128, TaskBudget: 256, HoldWait: -1},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.opts.WithDefaults()

			if err != nil || got != tc.want {
				t.Fatalf("WithDefaults() = %+v, %v, want %+v, nil", got, err, tc.want)
			}
		})
	}
}

func TestWithDefaultsRejectsNegativeValues(t *testing.T) {
	tests := []struct {
		name string
		opts Options
	}{
		{name: "negative event batch", opts: Options{EventBatch: -1}},
		{name: "negative task budget", opts: Options{TaskBudget: -1}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.opts.WithDefaults()

			if !errors.Is(err, ErrInvalidOptions) {
				t.Fatalf("WithDefaults() error = %v, want %v", err, ErrInvalidOptions)
			}
		})
	}
}

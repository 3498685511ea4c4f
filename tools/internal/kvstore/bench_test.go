package kvstore

import (
	"testing"
)

func BenchmarkViewExistingKey(b *testing.B) {
	s, _ := newTestStore(b)
	key := []byte("key:__rand_int__")
	s.Set(key, []byte("xxx"), SetOptions{})
	reply := make([]byte, 0, 64)
	b.ReportAllocs()
	for b.Loop() {
		reply = reply[:0]
		if _, err := s.View(key, func(v []byte) { reply = append(reply, v...) }); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSetExistingKey(b *testing.B) {
	s, _ := newTestStore(b)
	key, value := []byte("key:__rand_int__"), []byte("xxx")
	b.ReportAllocs()
	for b.Loop() {
		s.Set(key, value, SetOptions{})
	}
}

func BenchmarkIncrByExistingKey(b *testing.B) {
	s, _ := newTestStore(b)
	key := []byte("counter")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.IncrBy(key, 1); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkViewParallelDistinctKeys(b *testing.B) {
	s, _ := newTestStore(b)
	keys := make([][]byte, 1024)
	for i := range keys {
		keys[i] = []byte{'k', byte(i), byte(i >> 8)}
		s.Set(keys[i], []byte("xxx"), SetOptions{})
	}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			if _, err := s.View(keys[i&1023], func([]byte) {}); err != nil {
				b.Error(err)
			}
			i++
		}
	})
}

//! The binary's global allocator: size classes for small blocks in front of musl's malloc.
//!
//! musl's allocator (mallocng) favours low memory over speed; the shell's parser and
//! expander allocate and free many small blocks (words, parts, argument vectors), and with
//! plain musl malloc they spent most of their time in it. Blocks of up to [`MAX_SMALL`]
//! bytes (alignment up to 16) come from free lists, one per 16-byte size class, refilled from
//! 64 KiB chunks that are never given back; everything larger goes to the system allocator.
//! A freed small block is reused by the next allocation of its class, so memory stays at the
//! high-water mark of the small blocks in use (as with most allocators' thread caches).
//!
//! One spin lock guards the lists: the applets are single-threaded but for short helper
//! threads (tar's compressor, wget's name lookup), so the lock is almost never contended,
//! and an uncontended atomic swap costs far less than a call into malloc. No signal handler
//! of rbox allocates, so the lock cannot be taken twice by one thread.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::UnsafeCell;
use std::ptr;
use std::sync::atomic::{AtomicBool, Ordering};

/// Largest block served from the size classes.
pub const MAX_SMALL: usize = 512;
const CLASS: usize = 16;
const CLASSES: usize = MAX_SMALL / CLASS;
const CHUNK: usize = 64 * 1024;

struct Lists {
    free: [*mut u8; CLASSES],
    next: *mut u8,
    left: usize,
}

pub struct Pool {
    lock: AtomicBool,
    lists: UnsafeCell<Lists>,
}

// SAFETY: `lists` is only touched with `lock` held.
unsafe impl Sync for Pool {}

impl Pool {
    pub const fn new() -> Pool {
        Pool {
            lock: AtomicBool::new(false),
            lists: UnsafeCell::new(Lists {
                free: [ptr::null_mut(); CLASSES],
                next: ptr::null_mut(),
                left: 0,
            }),
        }
    }

    fn with<R>(&self, f: impl FnOnce(&mut Lists) -> R) -> R {
        let mut spins = 0u32;
        while self
            .lock
            .compare_exchange_weak(false, true, Ordering::Acquire, Ordering::Relaxed)
            .is_err()
        {
            spins += 1;
            if spins > 64 {
                std::thread::yield_now();
            } else {
                std::hint::spin_loop();
            }
        }
        // SAFETY: the lock is held, so this is the only reference.
        let r = f(unsafe { &mut *self.lists.get() });
        self.lock.store(false, Ordering::Release);
        r
    }
}

impl Default for Pool {
    fn default() -> Pool {
        Pool::new()
    }
}

/// The size class of a layout, if it is small.
#[inline]
fn class(l: &Layout) -> Option<usize> {
    (l.size() <= MAX_SMALL && l.align() <= CLASS).then(|| l.size().max(1).div_ceil(CLASS) - 1)
}

// SAFETY: small blocks are 16-aligned slices of chunks from System, handed out once until
// freed; other layouts go to System unchanged.
unsafe impl GlobalAlloc for Pool {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        let Some(c) = class(&l) else {
            // SAFETY: the caller's layout, passed on.
            return unsafe { System.alloc(l) };
        };
        self.with(|s| {
            let head = s.free[c];
            if !head.is_null() {
                // SAFETY: a free block holds the next free block's address in its first word.
                s.free[c] = unsafe { head.cast::<*mut u8>().read() };
                return head;
            }
            let need = (c + 1) * CLASS;
            if s.left < need {
                // The rest of the old chunk is left unused (under 512 bytes).
                // SAFETY: a valid non-zero layout.
                let chunk =
                    unsafe { System.alloc(Layout::from_size_align_unchecked(CHUNK, CLASS)) };
                if chunk.is_null() {
                    return chunk;
                }
                s.next = chunk;
                s.left = CHUNK;
            }
            let p = s.next;
            // SAFETY: `need <= left`, inside the current chunk.
            s.next = unsafe { s.next.add(need) };
            s.left -= need;
            p
        })
    }

    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        let Some(c) = class(&l) else {
            // SAFETY: allocated by System with this layout.
            return unsafe { System.dealloc(p, l) };
        };
        self.with(|s| {
            // SAFETY: the block is ours again and at least 16 bytes, 16-aligned.
            unsafe { p.cast::<*mut u8>().write(s.free[c]) };
            s.free[c] = p;
        });
    }

    unsafe fn realloc(&self, p: *mut u8, l: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: the caller guarantees a valid layout for the new size.
        let nl = unsafe { Layout::from_size_align_unchecked(new_size, l.align()) };
        match (class(&l), class(&nl)) {
            // SAFETY: both large: System's block, resized by System.
            (None, None) => unsafe { System.realloc(p, l, new_size) },
            (Some(a), Some(b)) if a == b => p,
            _ => {
                // SAFETY: a fresh block for the new layout, the old contents copied, the
                // old block freed with its own layout.
                unsafe {
                    let q = self.alloc(nl);
                    if !q.is_null() {
                        ptr::copy_nonoverlapping(p, q, l.size().min(new_size));
                        self.dealloc(p, l);
                    }
                    q
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_and_reuse() {
        let pool = Pool::new();
        // SAFETY: matching alloc/dealloc/realloc calls with their layouts.
        unsafe {
            let l = Layout::from_size_align(24, 8).unwrap_or(Layout::new::<u8>());
            let a = pool.alloc(l);
            let b = pool.alloc(l);
            assert_ne!(a, b);
            assert_eq!(a as usize % 16, 0);
            a.write_bytes(0xaa, 24);
            b.write_bytes(0xbb, 24);
            pool.dealloc(a, l);
            assert_eq!(pool.alloc(l), a, "the freed block is reused");
            // Growing within the class keeps the block; across classes copies.
            let g = pool.realloc(b, l, 30);
            assert_eq!(g, b);
            let l30 = Layout::from_size_align(30, 8).unwrap_or(l);
            let h = pool.realloc(g, l30, 4000);
            assert_eq!(std::slice::from_raw_parts(h, 24), &[0xbb; 24][..]);
            let l4000 = Layout::from_size_align(4000, 8).unwrap_or(l);
            let k = pool.realloc(h, l4000, 10);
            assert_eq!(std::slice::from_raw_parts(k, 10), &[0xbb; 10][..]);
            pool.dealloc(k, Layout::from_size_align(10, 8).unwrap_or(l));
            let z = Layout::from_size_align(0, 1).unwrap_or(l);
            let zp = pool.alloc(z);
            assert!(!zp.is_null());
            pool.dealloc(zp, z);
        }
    }

    #[test]
    fn threads_share_the_pool() {
        static P: Pool = Pool::new();
        let hs: Vec<_> = (0..4)
            .map(|t| {
                std::thread::spawn(move || {
                    let l = Layout::from_size_align(8 + t * 40, 8).unwrap_or(Layout::new::<u64>());
                    for i in 0..10_000u64 {
                        // SAFETY: alloc, write, read back, free with the same layout.
                        unsafe {
                            let p = P.alloc(l).cast::<u64>();
                            p.write(i);
                            assert_eq!(p.read(), i);
                            P.dealloc(p.cast(), l);
                        }
                    }
                })
            })
            .collect();
        for h in hs {
            assert!(h.join().is_ok());
        }
    }
}

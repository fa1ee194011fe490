import type { Redis } from './redis.ts'
import type { Keys } from './keys.ts'

/**
 * The room id of each group configured by topic, remembered the first time the group is seen:
 * anyone can create a room with the same name, so after that only this id is the group.
 */
export type GroupRooms = ReturnType<typeof createGroupRooms>

/** Build the store on a Redis client. */
export function createGroupRooms(redis: Redis, keys: Keys) {
  return {
    /** Remember `roomId` for the group unless one is remembered already; returns the group's room id. */
    async bind(groupKey: string, roomId: string): Promise<string> {
      const key = keys.groupRoom(groupKey)
      const [, [, bound]] = await redis.multi().set(key, roomId, 'NX').get(key).exec() as [unknown, [unknown, string]]
      return bound
    },
    /** The remembered room id of a group, if it was seen. */
    async roomId(groupKey: string): Promise<string | undefined> {
      return (await redis.get(keys.groupRoom(groupKey))) ?? undefined
    },
  }
}
